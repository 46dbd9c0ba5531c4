// UniSpeechForSequenceClassification and UniSpeechSatForSequenceClassification against
// transformers 4.49.0 (golden fixtures): post-LN with group norm and no mask (unispeech),
// stable layer norm with layer-norm convs, conv bias, masks and a weighted layer sum (unispeech-sat).
import { uniSpeechArchitecture, uniSpeechSatArchitecture } from "../../src/models/unispeech/index.js";
import { fixtureTests } from "./support/wav2vec2-family-fixtures.js";

fixtureTests("unispeech", uniSpeechArchitecture);
fixtureTests("unispeech-sat", uniSpeechSatArchitecture);
