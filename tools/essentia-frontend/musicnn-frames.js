// Essentia's own MusiCNN input for a decoded signal, as the reference of the Java front-end test.
// Usage: node musicnn-frames.js <in.f32> <out.f32>
//   in.f32:  mono 16 kHz samples, float32 little-endian
//   out.f32: the TensorflowInputMusiCNN bands of every frame of Essentia's FrameCutter (frame 512, hop 256),
//            float32 little-endian, 96 values per frame
// Prints the Essentia version and the frame count.
//
// essentia.js's FrameGenerator drops silent frames (isSilent), which the FrameCutter inside Essentia's
// TensorflowPredictMusiCNN does not; so the frames are cut here with FrameCutter's own rules (essentia
// src/algorithms/standard/framecutter.cpp, startFromZero=false), and checked against FrameGenerator: the same
// frames once the silent ones are removed.
"use strict";
const fs = require("fs");
const { EssentiaWASM, Essentia } = require("essentia.js");

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: node musicnn-frames.js <in.f32> <out.f32>");
  process.exit(2);
}
const bytes = fs.readFileSync(input);
const signal = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
const essentia = new Essentia(EssentiaWASM);
const FRAME = 512;
const HOP = 256;

// FrameCutter, startFromZero=false: the first frame starts at -(frameSize+1)/2 (zeros before the signal); a
// zero-padded frame whose centre is at or past the end is the last.
function frameCutter(x) {
  const frames = [];
  for (let start = -Math.trunc((FRAME + 1) / 2); start < x.length; start += HOP) {
    const frame = new Float32Array(FRAME);
    const from = Math.max(0, start);
    const to = Math.min(x.length, start + FRAME);
    frame.set(x.subarray(from, to), from - start);
    frames.push(frame);
    if (start + FRAME > x.length && start + FRAME / 2 >= x.length) {
      break;
    }
  }
  return frames;
}

// Essentia's isSilent: instant power below 1e-10 (essentiamath.h).
function silent(frame) {
  let power = 0;
  for (const v of frame) power += v * v;
  return power / frame.length < 1e-10;
}

const frames = signal.length === 0 ? [] : frameCutter(signal);
const generated = essentia.FrameGenerator(signal, FRAME, HOP);
const loud = frames.filter((f) => !silent(f));
if (generated.size() !== loud.length) {
  throw new Error("frame cutting differs from essentia.js FrameGenerator: " + loud.length + " non-silent frames here, "
      + generated.size() + " there");
}
for (let i = 0; i < loud.length; i++) {
  const theirs = essentia.vectorToArray(generated.get(i));
  for (let j = 0; j < FRAME; j++) {
    if (theirs[j] !== loud[i][j]) throw new Error("non-silent frame " + i + " differs from FrameGenerator's");
  }
}
const count = frames.length;
const out = new Float32Array(count * 96);
for (let i = 0; i < count; i++) {
  const bands = essentia.vectorToArray(essentia.TensorflowInputMusiCNN(essentia.arrayToVector(frames[i])).bands);
  if (bands.length !== 96) {
    throw new Error("frame " + i + " has " + bands.length + " bands");
  }
  out.set(bands, i * 96);
}
fs.writeFileSync(output, Buffer.from(out.buffer));
console.log(JSON.stringify({ essentia: essentia.version, frames: count }));
