/**
 * The special tokens every text model in the course shares, and the shape of a next-word
 * candidate. Models written later (the neural ones too) import these rather than spelling the
 * tokens out again.
 *
 * @module
 */

/** The padding word put n − 1 times before every sentence by the n-gram models; never predicted. */
export const BOS = "<s>";
/**
 * The word appended once after every sentence; predicting it means "the sentence ends here". The
 * bigram model also reads it as the start of the next sentence.
 */
export const EOS = "</s>";
/** The class of every word that is not in a model's vocabulary. */
export const UNK = "<unk>";

/** A possible next word and the model's probability for it. */
export interface Candidate {
  /** The word ({@linkcode EOS} ends the sentence, {@linkcode UNK} stands for any unknown word). */
  word: string;
  /** P(word | context) under the model. */
  probability: number;
}
