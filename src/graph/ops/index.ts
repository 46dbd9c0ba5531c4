// Registers every op schema with the builder. Importing this module is what makes an op usable.
import "./elementwise.js";
import "./linear-algebra.js";
import "./reductions.js";
import "./conv.js";
import "./shape-ops.js";
import "./slicing.js";
import "./contrib.js";

export { dtypeFromOnnxCode } from "./elementwise.js";
