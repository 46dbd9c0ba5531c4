/**
 * The protobuf messages of a TensorBoard event file, encoded with our protobuf writer. Field
 * numbers are those of tensorflow/core/util/event.proto and framework/summary.proto:
 *
 *   Event        { double wall_time = 1; int64 step = 2; oneof { string file_version = 3;
 *                  Summary summary = 5; SessionLog session_log = 7; } }
 *   Summary      { repeated Value value = 1; }
 *   Value        { string tag = 1; float simple_value = 2; SummaryMetadata metadata = 9;
 *                  TensorProto tensor = 8; }
 *   SessionLog   { SessionStatus status = 1; }                    (START = 1)
 *   SummaryMetadata { PluginData plugin_data = 1 { string plugin_name = 1; bytes content = 2; } }
 *   TensorProto  { DataType dtype = 1 (DT_STRING = 7); TensorShapeProto tensor_shape = 2;
 *                  repeated bytes string_val = 8; }   TensorShapeProto { repeated Dim dim = 2 { int64 size = 1; } }
 *
 * Scalars use simple_value, as PyTorch's SummaryWriter.add_scalar (and so transformers'
 * TensorBoardCallback) writes them; text uses the "text" plugin's string tensor, as add_text.
 */
import { ProtoWriter } from "../../util/protobuf-writer.js";

export type SummaryValue = { readonly tag: string; readonly scalar: number } | { readonly tag: string; readonly text: string };

export type EventBody = { readonly fileVersion: string } | { readonly summary: readonly SummaryValue[] } | { readonly sessionStart: true };

const DT_STRING = 7;
const SESSION_START = 1;

function summaryValue(value: SummaryValue): ProtoWriter {
  const w = new ProtoWriter();
  w.string(1, value.tag);
  if ("scalar" in value) {
    w.float(2, value.scalar);
    return w;
  }
  const pluginData = new ProtoWriter();
  pluginData.string(1, "text");
  pluginData.bytes(2, new Uint8Array(0)); // TextPluginData{version: 0} serialises to nothing
  const metadata = new ProtoWriter();
  metadata.message(1, pluginData);
  w.message(9, metadata);
  const dim = new ProtoWriter();
  dim.int(1, 1);
  const shape = new ProtoWriter();
  shape.message(2, dim);
  const tensor = new ProtoWriter();
  tensor.int(1, DT_STRING);
  tensor.message(2, shape);
  tensor.string(8, value.text);
  w.message(8, tensor);
  return w;
}

/** One serialized Event. */
export function encodeEvent(wallTime: number, step: number, body: EventBody): Uint8Array {
  const w = new ProtoWriter();
  w.double(1, wallTime);
  w.int(2, step);
  if ("fileVersion" in body) {
    w.string(3, body.fileVersion);
  } else if ("summary" in body) {
    const summary = new ProtoWriter();
    for (const value of body.summary) summary.message(1, summaryValue(value));
    w.message(5, summary);
  } else {
    const session = new ProtoWriter();
    session.int(1, SESSION_START);
    w.message(7, session);
  }
  return w.finish();
}
