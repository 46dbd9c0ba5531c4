// Registers every op schema with the builder. Importing this module is what makes an op usable.
import "./elementwise.js";
import "./linear-algebra.js";
import "./reductions.js";
import "./conv.js";
import "./shape-ops.js";
import "./slicing.js";
import "./contrib.js";
import "./dropout.js";
import "./scatter.js";
import "./conv-transpose.js";
import "./quantization.js";

export { dtypeFromOnnxCode } from "./elementwise.js";
