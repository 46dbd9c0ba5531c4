// Wav2Vec2-Conformer (relative and rotary): fine-tuning, saved folders, .bin twins and ONNX exports.
import { checkpointFormatTests, fineTuneTest } from "./family-training.js";

for (const model of ["wav2vec2-conformer-relative", "wav2vec2-conformer-rotary"]) {
  fineTuneTest(model);
  checkpointFormatTests(model);
}
