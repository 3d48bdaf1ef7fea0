#!/usr/bin/env python3
"""PyTorch/CUDA reference points for tooling/bench/gpu.mjs.

Times n×n·(n×n)ᵀ products on the GPU with torch: f32 with TF32 off (the same arithmetic as
the lr f32 GEMM), f32 with TF32 on, f16, and int8 (torch._int_mm, the closest stock
low-bit kernel to the bipolar-INT bit-serial matmul). Each number is the median over 5
batches of `reps` back-to-back products timed with CUDA events, divided by reps.

    python3 tooling/bench/gpu-torch.py [--sizes 256,512,1024,2048] [--reps 10]

Prints JSON {"device", "version", "results": [{"variant", "n", "seconds", "gflops"}]};
exits 2 with a message on stderr when torch or CUDA is missing.
"""
import argparse
import json
import statistics
import sys


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="256,512,1024,2048")
    p.add_argument("--reps", type=int, default=10)
    args = p.parse_args()
    try:
        import torch
    except ImportError:
        print("gpu-torch.py: torch is not installed", file=sys.stderr)
        return 2
    if not torch.cuda.is_available():
        print("gpu-torch.py: torch has no CUDA device", file=sys.stderr)
        return 2
    dev = torch.device("cuda")
    sizes = [int(s) for s in args.sizes.split(",")]
    out = []

    def timed(fn, reps):
        fn()
        torch.cuda.synchronize()
        per = []
        for _ in range(5):
            start = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            start.record()
            for _ in range(reps):
                fn()
            end.record()
            torch.cuda.synchronize()
            per.append(start.elapsed_time(end) / 1000.0 / reps)
        return statistics.median(per)

    gen = torch.Generator(device=dev).manual_seed(0)
    for n in sizes:
        flops = 2.0 * n**3
        a = torch.randn(n, n, device=dev, generator=gen)
        b = torch.randn(n, n, device=dev, generator=gen)
        torch.backends.cuda.matmul.allow_tf32 = False
        t = timed(lambda: a @ b.T, args.reps)
        out.append({"variant": "f32 matmul (TF32 off)", "n": n, "seconds": t, "gflops": flops / t / 1e9})
        torch.backends.cuda.matmul.allow_tf32 = True
        t = timed(lambda: a @ b.T, args.reps)
        out.append({"variant": "f32 matmul (TF32 on)", "n": n, "seconds": t, "gflops": flops / t / 1e9})
        torch.backends.cuda.matmul.allow_tf32 = False
        ah, bh = a.half(), b.half()
        t = timed(lambda: ah @ bh.T, args.reps)
        out.append({"variant": "f16 matmul", "n": n, "seconds": t, "gflops": flops / t / 1e9})
        if hasattr(torch, "_int_mm") and n % 8 == 0 and n >= 32:
            ai = torch.randint(-127, 128, (n, n), device=dev, dtype=torch.int8)
            bi = torch.randint(-127, 128, (n, n), device=dev, dtype=torch.int8).T.contiguous().T
            t = timed(lambda: torch._int_mm(ai, bi), args.reps)
            out.append({"variant": "int8 _int_mm", "n": n, "seconds": t, "gflops": flops / t / 1e9})
    print(json.dumps({"device": torch.cuda.get_device_name(0), "version": torch.__version__, "results": out}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
