/**
 * A few seconds from the microphone as one channel of samples at the device's rate, which the
 * pipeline resamples as it does any { samplingRate, raw } input. A ScriptProcessorNode rather than
 * an AudioWorklet: deprecated, but it needs no second script file and every browser has it.
 */
export interface Recording {
  readonly samplingRate: number;
  readonly raw: Float32Array;
}

export async function recordMicrophone(seconds: number): Promise<Recording> {
  const stream = await navigator.mediaDevices.getUserMedia({
    // The model should hear the room as it is, not a call-tuned signal.
    audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
  });
  const context = new AudioContext();
  try {
    await context.resume();
    const source = context.createMediaStreamSource(stream);
    const processor = context.createScriptProcessor(4096, 1, 1);
    const needed = Math.ceil(seconds * context.sampleRate);
    const raw = new Float32Array(needed);
    let filled = 0;
    await new Promise<void>((resolve) => {
      processor.onaudioprocess = (event) => {
        const input = event.inputBuffer.getChannelData(0);
        const take = Math.min(input.length, needed - filled);
        raw.set(input.subarray(0, take), filled);
        filled += take;
        if (filled >= needed) resolve();
      };
      source.connect(processor);
      processor.connect(context.destination); // a processor that is not connected is never run
    });
    processor.onaudioprocess = null;
    source.disconnect();
    processor.disconnect();
    return { samplingRate: context.sampleRate, raw };
  } finally {
    for (const track of stream.getTracks()) track.stop();
    await context.close();
  }
}
