"""librosa 0.11's speed on this machine, one thread, measured as ../shared/anchors/librosa_speed.md measures it.

Same inputs (60 s of float32 noise, 0.25 * N(0, 1), numpy default_rng(60) at 16 kHz and default_rng(61) at 44.1 kHz),
same calls, best of 5 timed runs after one warm-up. Prints one JSON object: milliseconds per 60 s for each call; with
--pythonPath=FILE also the anchors' end-to-end Python path (ffmpeg decode, mono, resample_poly, musicnn mel + log10)
on FILE; with --features librosa's classic features one function at a time.

With --melInputs=FILE (signals written by `bin/audioflow bench`: little-endian int32 count, then per signal int32
sample rate, int32 length and that many float32 samples) and --melPreset=musicnn|librosa, the key melspectrogram_inputs
is librosa's melspectrogram on each of those signals in turn, with the preset's parameters at the signal's rate: the
same signals the bench's own mel stage is timed on.

With --serve it times on request instead, so that a caller can interleave librosa's runs with its own (this machine's
speed moves by a third for seconds at a time, for every process alike): it prints {"ready": ...} once, then for each
line "KEY RUNS" on stdin one JSON line {"ms": best of RUNS} (a warm-up run precedes a key's first request; "features"
also gives "per_feature"). Keys are the one-shot output's: melspectrogram_musicnn_16k,
melspectrogram_musicnn_16k_log10, stft_musicnn_16k, melspectrogram_librosa_default_44k1, melspectrogram_inputs (with
--melInputs), python_path (with --pythonPath) and features.
Run it through run.sh, which pins one thread and finds librosa.
"""
import json
import sys
import time
import types


def stub_missing_compilers():
    """numba and soxr are imported by librosa but used on none of the paths timed here; stand-ins when absent."""
    try:
        import numba  # noqa: F401
    except ImportError:
        def decorator(*args, **kwargs):
            if len(args) == 1 and callable(args[0]) and not kwargs:
                return args[0]
            return lambda f: f

        numba = types.ModuleType("numba")
        numba.jit = numba.njit = numba.stencil = numba.guvectorize = numba.vectorize = decorator
        numba.uint = int
        numba.__version__ = "stand-in"
        sys.modules["numba"] = numba
    try:
        import soxr  # noqa: F401
    except ImportError:
        soxr = types.ModuleType("soxr")
        soxr.__version__ = "stand-in"
        sys.modules["soxr"] = soxr


def best_ms(call, runs=5, warm=True):
    if warm:
        call()
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - t0)
    return best * 1e3


def main():
    stub_missing_compilers()
    import numpy as np
    import librosa

    y16 = (0.25 * np.random.default_rng(60).standard_normal(60 * 16000)).astype(np.float32)
    y44 = (0.25 * np.random.default_rng(61).standard_normal(60 * 44100)).astype(np.float32)
    musicnn = dict(sr=16000, n_fft=512, hop_length=256, win_length=512, window="hann", center=True,
                   pad_mode="reflect", power=2.0, n_mels=96, fmin=0.0, fmax=8000.0, htk=False, norm="slaney")
    default = dict(sr=44100, n_fft=2048, hop_length=512, win_length=2048, window="hann", center=True,
                   pad_mode="constant", power=2.0, n_mels=128, fmin=0.0, fmax=22050.0, htk=False, norm="slaney")
    f = librosa.feature
    features = {
        "rms": lambda: f.rms(y=y44),
        "spectral_centroid": lambda: f.spectral_centroid(y=y44, sr=44100),
        "spectral_bandwidth": lambda: f.spectral_bandwidth(y=y44, sr=44100),
        "spectral_rolloff": lambda: f.spectral_rolloff(y=y44, sr=44100),
        "spectral_flatness": lambda: f.spectral_flatness(y=y44),
        "chroma_stft": lambda: f.chroma_stft(y=y44, sr=44100, tuning=0.0),
        "mfcc": lambda: f.mfcc(y=y44, sr=44100, n_mfcc=20),
        "onset_strength+tempo": lambda: f.tempo(
            onset_envelope=librosa.onset.onset_strength(y=y44, sr=44100), sr=44100),
    }
    calls = {
        "melspectrogram_musicnn_16k": lambda: f.melspectrogram(y=y16, **musicnn),
        "melspectrogram_musicnn_16k_log10": lambda: np.log10(10000.0 * f.melspectrogram(y=y16, **musicnn) + 1.0),
        "stft_musicnn_16k": lambda: librosa.stft(y16, n_fft=512, hop_length=256, pad_mode="reflect"),
        "melspectrogram_librosa_default_44k1": lambda: f.melspectrogram(y=y44, **default),
    }
    signals = option("--melInputs")
    if signals:
        preset = option("--melPreset") or "musicnn"
        inputs = read_signals(signals)

        def params(rate):
            return musicnn if preset == "musicnn" else dict(default, sr=rate, fmax=rate / 2.0)

        calls["melspectrogram_inputs"] = lambda: [f.melspectrogram(y=y, **params(rate)) for rate, y in inputs]
    decode = option("--pythonPath")
    path_seconds = None
    if decode:
        calls["python_path"], path_seconds = python_path(decode, f, musicnn)
    versions = {"librosa": librosa.__version__, "numpy": np.__version__}
    if "--serve" in sys.argv:
        serve(calls, features, dict(versions, python_path_seconds_of_audio=path_seconds))
        return
    results = dict(versions)
    for key, call in calls.items():
        results[key] = best_ms(call)
    if decode:
        results["python_path_seconds_of_audio"] = path_seconds
    if "--features" in sys.argv:
        per_feature = {name: best_ms(call, runs=3) for name, call in features.items()}
        results["classic_features_44k1"] = per_feature
        results["classic_features_44k1_total"] = sum(per_feature.values())
    print(json.dumps(results, indent=1))


def option(name):
    """The value of --name=VALUE on the command line, or None."""
    values = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith(name + "=")]
    return values[0] if values else None


def read_signals(path):
    """(sample rate, float32 signal) pairs from the file --melInputs names."""
    import numpy as np

    data = open(path, "rb").read()
    count = int(np.frombuffer(data, "<i4", 1, 0)[0])
    at = 4
    signals = []
    for _ in range(count):
        rate, length = (int(v) for v in np.frombuffer(data, "<i4", 2, at))
        at += 8
        signals.append((rate, np.frombuffer(data, "<f4", length, at).astype(np.float32)))
        at += 4 * length
    return signals


def python_path(file, f, musicnn):
    """The Python path of the anchors' table: ffmpeg decodes to a pipe, mean to mono, resample_poly to 16 kHz,
    musicnn mel + log10(10000 S + 1). Returns the call and the seconds of audio it covers."""
    import subprocess
    from fractions import Fraction
    import numpy as np
    import scipy.signal

    info = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                           "stream=channels,sample_rate", "-of", "csv=p=0", file],
                          capture_output=True, text=True, check=True).stdout.strip().split(",")
    channels, rate = int(info[0]), int(info[1])

    def call():
        pcm = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-threads", "1", "-i", file, "-f", "f32le",
                              "-acodec", "pcm_f32le", "-"], capture_output=True, check=True).stdout
        y = np.frombuffer(pcm, dtype=np.float32).reshape(-1, channels).mean(axis=1)
        ratio = Fraction(16000, rate)
        y16k = scipy.signal.resample_poly(y, ratio.numerator, ratio.denominator).astype(np.float32)
        np.log10(10000.0 * f.melspectrogram(y=y16k, **musicnn) + 1.0)
        return len(y) / rate

    return call, call()


def serve(calls, features, ready):
    print(json.dumps(dict(ready, ready=True)), flush=True)
    warmed = set()
    for line in sys.stdin:
        key, runs = line.split()
        warm = key not in warmed
        warmed.add(key)
        if key == "features":
            per_feature = {name: best_ms(call, int(runs), warm) for name, call in features.items()}
            reply = {"ms": sum(per_feature.values()), "per_feature": per_feature}
        else:
            reply = {"ms": best_ms(calls[key], int(runs), warm)}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
