// Wav2Vec2ForSequenceClassification against transformers 4.49.0 (golden fixtures).
import { wav2vec2Architecture } from "../../src/models/wav2vec2/index.js";
import { fixtureTests } from "./support/wav2vec2-family-fixtures.js";

// wav2vec2-base layout: group-norm feature encoder, post-LN layers, no attention mask from the
// extractor (the batch test asks for one, which is what makes padded batches exact).
fixtureTests("wav2vec2", wav2vec2Architecture);
