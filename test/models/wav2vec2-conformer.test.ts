// Wav2Vec2ConformerForSequenceClassification against transformers 4.49.0 (golden fixtures):
// relative positions with group-norm convs and masks, rotary positions with layer-norm convs,
// conv bias and a weighted layer sum.
import { wav2vec2ConformerArchitecture } from "../../src/models/wav2vec2-conformer/index.js";
import { fixtureTests } from "./support/wav2vec2-family-fixtures.js";

fixtureTests("wav2vec2-conformer-relative", wav2vec2ConformerArchitecture);
fixtureTests("wav2vec2-conformer-rotary", wav2vec2ConformerArchitecture);
