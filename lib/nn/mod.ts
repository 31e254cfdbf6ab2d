/**
 * Neural networks from scratch: a {@linkcode Tensor} with reverse-mode automatic differentiation
 * (tensor.ts), the ops the course's models need, each with its backward rule beside its forward
 * (broadcast.ts: add, mul; matmul.ts: matmul, linear, on the fast kernels of kernels.ts;
 * activations.ts: tanh, relu, gelu; embedding.ts; shape.ts: reshape, concat; layer_norm.ts;
 * cross_entropy.ts: the loss from logits), seeded initialisation (init.ts), AdamW with clipping
 * and a learning-rate schedule (optimizer.ts), the finite-difference check every op is tested with
 * (gradient_check.ts), and the MLP language model of Bengio et al. (2003) with its training loop,
 * its reproducible Brown run and its weight file (mlp.ts, mlp_trainer.ts, mlp_run.ts,
 * model_file.ts), and nearest neighbours in an embedding table (nearest.ts). A new layer or model
 * goes in this folder.
 *
 * @module
 */

export * from "./tensor.ts";
export * from "./broadcast.ts";
export * from "./kernels.ts";
export * from "./matmul.ts";
export * from "./activations.ts";
export * from "./embedding.ts";
export * from "./shape.ts";
export * from "./layer_norm.ts";
export * from "./cross_entropy.ts";
export * from "./init.ts";
export * from "./optimizer.ts";
export * from "./gradient_check.ts";
export * from "./mlp.ts";
export * from "./mlp_trainer.ts";
export * from "./mlp_run.ts";
export * from "./model_file.ts";
export * from "./nearest.ts";
export * from "./transpose.ts";
export * from "./matmul_transposed.ts";
export * from "./tied_output.ts";
export * from "./attention.ts";
export * from "./transformer.ts";
export * from "./transformer_trainer.ts";
export * from "./transformer_run.ts";
export * from "./transformer_file.ts";
export * from "./models.ts";
