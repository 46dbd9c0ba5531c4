// Wav2Vec2-BERT: fine-tuning through SeamlessM4TFeatureExtractor, saved folders, .bin twins and ONNX exports.
import { checkpointFormatTests, fineTuneTest } from "./family-training.js";

fineTuneTest("wav2vec2-bert");
checkpointFormatTests("wav2vec2-bert");
