#!/usr/bin/env python3
"""Export the HTDemucs core (everything between the spectrogram and the inverse spectrogram) to ONNX.

The STFT, the inverse STFT and the sum of the two branches run in Java (io.audioflow.transforms.separation), so the
graph takes the padded chunk `mix` [batch, channels, segment] and its complex-as-channels spectrogram
[batch, 2*channels, 2048, frames] and returns the frequency branch [batch, sources, 2*channels, 2048, frames] (still a
complex-as-channels spectrogram, de-normalised) and the time branch [batch, sources, channels, segment]
(de-normalised). See docs/separation.md.

Three ways to get a model:
  --pretrained htdemucs_ft         demucs.pretrained.get_model (needs internet, or --repo): htdemucs, htdemucs_ft
                                   (a bag of four), htdemucs_6s (six sources); other architectures are refused
  --kwargs '{"channels": 8, ...}'  an HTDemucs built from keyword arguments with seeded random weights; a JSON list
                                   of such objects makes a bag (model i seeded with --seed + i), --weights its matrix
  --config demucs/conf/config.yaml the htdemucs section of Demucs's training config, seeded random weights

One model is written as <name>.onnx and its manifest <name>.json (audioflow-separation/1); a bag of several as
<name>-<i>.onnx and one bag manifest <name>.json (audioflow-separation-bag/1) holding each model's manifest and the
weights. With --reference-seconds it also writes PyTorch references for the Java tests: Demucs's own apply_model
on the BagOfModels (a bag of one for a single model).
"""
import argparse
import fractions
import hashlib
import json
import math
import os
import sys
import types


def install_shims():
    """Demucs's model modules import packages the HTDemucs forward pass never calls (julius: the old Demucs
    resampling; openunmix: Wiener filtering, off when wiener_iters == 0; omegaconf/dora: training and
    checkpoint helpers). Where they are not installed, empty stand-ins let the modules import; any call fails loudly."""
    def unavailable(name):
        def fail(*args, **kwargs):
            raise RuntimeError(f"{name} is not installed; this export path does not support it")
        return fail

    stubs = {
        "julius": {"resample_frac": unavailable("julius.resample_frac")},
        "openunmix": {},
        "openunmix.filtering": {"wiener": unavailable("openunmix.filtering.wiener")},
        "omegaconf": {"OmegaConf": types.SimpleNamespace(to_container=unavailable("omegaconf"))},
        "dora": {},
        "dora.log": {"fatal": unavailable("dora.log.fatal"), "bold": lambda s: s},
    }
    for name, attrs in stubs.items():
        try:
            __import__(name)
        except ImportError:
            module = types.ModuleType(name)
            module.__dict__.update(attrs)
            sys.modules[name] = module


install_shims()

import numpy as np  # noqa: E402
import torch  # noqa: E402
from demucs.apply import apply_model, BagOfModels, TensorChunk  # noqa: E402
from demucs.htdemucs import HTDemucs  # noqa: E402

# Also in io.audioflow.models.SeparationBag: what runs, and what is refused.
SUPPORTED = ("only HTDemucs cores run (Demucs's htdemucs, htdemucs_ft, htdemucs_6s and bags of HTDemucs); "
             "HDemucs and Demucs models (hdemucs_mmi, mdx, mdx_extra, mdx_q, mdx_extra_q) are refused")


class HTDemucsCore(torch.nn.Module):
    """HTDemucs.forward with its spectrogram functions swapped for identities, so the traced graph holds
    neither torch.stft nor complex tensors (torch 1.13's ONNX exporter supports neither), and the model's own
    forward code (normalisation, both branches, cross-transformer, de-normalisation) is what gets exported."""

    def __init__(self, model: HTDemucs):
        super().__init__()
        self.model = model

    def forward(self, mix, spectrogram):
        model = self.model
        captured = {}

        def mask(z, m):  # m: [B, S, 2C, F, T], the frequency branch already de-normalised
            captured["freq"] = m
            return m

        model._spec = lambda x: spectrogram
        model._magnitude = lambda z: z
        model._mask = mask
        model._ispec = lambda z, length: 0.0  # forward then returns the time branch alone
        try:
            time = model(mix)
        finally:
            for name in ("_spec", "_magnitude", "_mask", "_ispec"):
                del model.__dict__[name]
        return captured["freq"], time


def build_bag(args):
    """The models and the weights matrix (models x sources) of a BagOfModels, and where they came from."""
    if args.pretrained:
        from demucs.pretrained import get_model
        from pathlib import Path
        model = get_model(args.pretrained, repo=Path(args.repo) if args.repo else None)
        bag = model if isinstance(model, BagOfModels) else BagOfModels([model])
        for i, member in enumerate(bag.models):
            if not isinstance(member, HTDemucs):
                sys.exit(f"{args.pretrained}: model {i} of {len(bag.models)} is a {type(member).__name__}, not an "
                         f"HTDemucs; {SUPPORTED}")
        return list(bag.models), [list(map(float, w)) for w in bag.weights], {"pretrained": args.pretrained}
    # The dataset-level arguments demucs's train.get_model adds, as the released htdemucs has them; the
    # --kwargs JSON (e.g. the htdemucs section of conf/config.yaml) overrides any of them.
    defaults = {"sources": ["drums", "bass", "other", "vocals"], "audio_channels": 2, "samplerate": 44100,
                "segment": "39/5"}
    if args.config:
        import yaml  # Debian: python3-yaml
        with open(args.config) as f:
            section = yaml.safe_load(f)["htdemucs"]
        # PyYAML reads YAML 1.1, where "1e-3" (no dot) is a string; OmegaConf, which Demucs uses, reads a float.
        for key, value in section.items():
            if isinstance(value, str):
                try:
                    section[key] = float(value)
                except ValueError:
                    pass
        defaults.update(section)
    given = json.loads(args.kwargs or "{}")
    models, described = [], []
    for i, member in enumerate(given if isinstance(given, list) else [given]):
        kwargs = dict(defaults, **member)
        kwargs["segment"] = fractions.Fraction(str(kwargs["segment"])).limit_denominator(1000)
        torch.manual_seed(args.seed + i)
        models.append(HTDemucs(**kwargs))
        described.append(dict(kwargs, segment=str(kwargs["segment"])))
    weights = json.loads(args.weights) if args.weights else [[1.0] * len(m.sources) for m in models]
    origin = {"kwargs": described[0] if len(described) == 1 else described, "seed": args.seed}
    if args.weights:
        origin["weights"] = weights
    return models, weights, origin


def spectrogram(model, mix):
    return model._magnitude(model._spec(mix))


def test_mix(seconds, rate):
    """A seeded stereo mix with tonal, percussive and noisy parts, different in each channel."""
    rng = np.random.default_rng(1234)
    t = np.arange(int(seconds * rate)) / rate
    bass = 0.3 * np.sin(2 * np.pi * 55 * t) * (1 + 0.5 * np.sin(2 * np.pi * 0.5 * t))
    lead = 0.2 * np.sin(2 * np.pi * (440 + 220 * t) * t)
    clicks = np.zeros_like(t)
    for start in np.arange(0, seconds, 0.25):
        n = int(start * rate)
        clicks[n:n + 2000] += rng.normal(0, 0.3, size=len(clicks[n:n + 2000])) * np.exp(-np.arange(len(clicks[n:n + 2000])) / 300)
    noise = 0.02 * rng.normal(size=len(t))
    left = bass + lead + clicks + noise
    right = bass + 0.6 * lead + 0.8 * clicks + 0.02 * rng.normal(size=len(t))
    return np.stack([left, right]).astype(np.float32)


def export_core(model, name, args):
    """Writes <name>.onnx and returns its manifest (audioflow-separation/1)."""
    model.eval()
    if model.wiener_iters != 0 or not model.cac:
        sys.exit("only complex-as-channels models without Wiener filtering (cac=True, wiener_iters=0) export")
    segment = int(model.segment * model.samplerate)
    channels = model.audio_channels
    sources = list(model.sources)
    core = HTDemucsCore(model).eval()

    torch.manual_seed(args.seed + 1)
    mix = 0.1 * torch.randn(1, channels, segment)
    with torch.no_grad():
        spec = spectrogram(model, mix)
        freq, time = core(mix, spec)
        # The split is exact: the full forward equals iSTFT(freq) + time.
        full = model(mix)
        rebuilt = model._ispec(model._mask(None, freq), segment) + time
        assert torch.allclose(full, rebuilt, atol=1e-6), (full - rebuilt).abs().max()

    onnx_name = name + ".onnx"
    onnx_path = os.path.join(args.out, onnx_name)
    torch.onnx.export(core, (mix, spec), onnx_path, opset_version=args.opset,
                      input_names=["mix", "spectrogram"], output_names=["freq", "time"],
                      dynamic_axes={"mix": {0: "batch"}, "spectrogram": {0: "batch"},
                                    "freq": {0: "batch"}, "time": {0: "batch"}},
                      do_constant_folding=True)
    with open(onnx_path, "rb") as f:
        sha256 = hashlib.sha256(f.read()).hexdigest()
    frames = spec.shape[-1]
    bins = spec.shape[-2]
    manifest = {
        "format": "audioflow-separation/1",
        "name": name,
        "architecture": "htdemucs",
        "onnx": onnx_name,
        "sha256": sha256,
        "sources": sources,
        "sample_rate": model.samplerate,
        "channels": channels,
        "segment_samples": segment,
        "stft": {"n_fft": model.nfft, "hop_length": model.hop_length, "window": "hann", "normalized": True,
                 "complex_as_channels": True, "bins": bins, "frames": frames},
        "inputs": {"mix": {"name": "mix", "shape": [-1, channels, segment]},
                   "spectrogram": {"name": "spectrogram", "shape": [-1, 2 * channels, bins, frames]}},
        "outputs": {"freq": {"name": "freq", "shape": [-1, len(sources), 2 * channels, bins, frames]},
                    "time": {"name": "time", "shape": [-1, len(sources), channels, segment]}},
        "opset": args.opset,
        "parameters": sum(p.numel() for p in model.parameters()),
    }
    print(f"{onnx_path}: {os.path.getsize(onnx_path)} bytes, {manifest['parameters']} parameters, sha256 {sha256}")
    return manifest


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--pretrained", help="a demucs pretrained name, e.g. htdemucs_ft (needs internet)")
    source.add_argument("--kwargs", help="HTDemucs keyword arguments as JSON, or a list of them for a bag "
                                         "(seeded random weights)")
    source.add_argument("--config", help="Demucs's conf/config.yaml: its htdemucs section (seeded random weights)")
    parser.add_argument("--repo", help="with --pretrained: a local folder of Demucs models instead of the download "
                                       "(<signature>.th files and <name>.yaml bags, as demucs --repo reads)")
    parser.add_argument("--weights", help="with a --kwargs list: the bag's weights, JSON [[per source] per model] "
                                          "(default all ones)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--name", required=True, help="model name written to the manifest and the stems table")
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--opset", type=int, default=17)
    parser.add_argument("--reference-seconds", type=float, default=0.0,
                        help="write PyTorch references on a generated stereo mix this long (0: none)")
    parser.add_argument("--chunk-references", action="store_true",
                        help="with --reference-seconds, also the first chunk's spectrogram and core outputs "
                             "(a single model only)")
    args = parser.parse_args()
    if args.weights and not (args.kwargs and isinstance(json.loads(args.kwargs), list)):
        sys.exit("--weights goes with a --kwargs list (a released bag has its own weights)")
    if args.repo and not args.pretrained:
        sys.exit("--repo goes with --pretrained")

    models, weights, origin = build_bag(args)
    try:
        bag = BagOfModels(models, weights)  # asserts that the models agree on sources, rate and channels
    except AssertionError:
        sys.exit(f"a bag's models must agree on sources, rate and channels, and --weights must hold one row of "
                 f"{len(models[0].sources)} weights per model ({len(models)}): {weights}")
    os.makedirs(args.out, exist_ok=True)
    exported_with = {"torch": torch.__version__}
    if len(models) == 1:
        manifest = export_core(models[0], args.name, args)
        manifest.update({"origin": origin, "exported_with": exported_with})
    else:
        members = [export_core(m, f"{args.name}-{i}", args) for i, m in enumerate(models)]
        manifest = {"format": "audioflow-separation-bag/1", "name": args.name, "sources": list(bag.sources),
                    "weights": bag.weights, "models": members, "origin": origin, "exported_with": exported_with}
    with open(os.path.join(args.out, args.name + ".json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")

    if args.reference_seconds > 0:
        if args.chunk_references and len(models) != 1:
            sys.exit("--chunk-references needs a single model")
        write_references(bag, args)


def write_references(bag, args):
    """The mix as 16-bit WAV (what the job reads) and as the floats it decodes to, and apply_model's stems."""
    import wave
    ref = os.path.join(args.out, args.name + "-reference")
    os.makedirs(ref, exist_ok=True)
    mix = test_mix(args.reference_seconds, bag.samplerate)
    mix *= 0.9 / max(0.9, float(np.abs(mix).max()))  # below full scale: 16-bit PCM holds it unclipped
    pcm = np.round(mix * 32768).astype("<i2")
    with wave.open(os.path.join(ref, "mix.wav"), "wb") as w:
        w.setnchannels(pcm.shape[0])
        w.setsampwidth(2)
        w.setframerate(bag.samplerate)
        w.writeframes(pcm.T.tobytes())
    mix = torch.from_numpy(pcm.astype(np.float32) / 32768)  # as a decoder reads 16-bit PCM
    np.save(os.path.join(ref, "mix.npy"), mix.numpy())
    with torch.no_grad():
        if args.chunk_references:
            model = bag.models[0]
            segment = int(model.segment * model.samplerate)
            # Chunk level: the first chunk exactly as apply_model pads it.
            chunk = TensorChunk(mix[None], 0, segment).padded(segment)
            spec = spectrogram(model, chunk)
            freq, time = HTDemucsCore(model).eval()(chunk, spec)
            np.save(os.path.join(ref, "chunk_spectrogram.npy"), spec[0].numpy())
            np.save(os.path.join(ref, "chunk_freq.npy"), freq[0].numpy())
            np.save(os.path.join(ref, "chunk_time.npy"), time[0].numpy())
        # Whole track: Demucs's own chunking and bag combination, overlap 0.25, no random shifts (deterministic).
        stems = apply_model(bag, mix[None], shifts=0, split=True, overlap=0.25)
        np.save(os.path.join(ref, "stems.npy"), stems[0].numpy())
    print(f"references in {ref}")


if __name__ == "__main__":
    main()
