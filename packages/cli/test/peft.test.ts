import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeSafetensor,
  type Matrix,
  matmul,
  randn,
  readSafetensors,
  type SafetensorsFile,
  writeNpy,
  writeSafetensors,
} from '@lr/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOneLineError, run, tempDir } from './helpers.js';

const STORIES = join(__dirname, '../../../../shared/data/weights/stories260K');
const have = existsSync(join(STORIES, 'model.safetensors'));
const d = have ? describe : describe.skip;

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ dir, cleanup } = tempDir('lr-peft-'));
});
afterAll(() => cleanup());

/** PEFT's LoraConfig keys that lr writes (the ones PEFT documents and loads). */
const PEFT_KEYS = [
  'alpha_pattern',
  'auto_mapping',
  'base_model_name_or_path',
  'bias',
  'corda_config',
  'eva_config',
  'exclude_modules',
  'fan_in_fan_out',
  'inference_mode',
  'init_lora_weights',
  'layer_replication',
  'layers_pattern',
  'layers_to_transform',
  'loftq_config',
  'lora_alpha',
  'lora_bias',
  'lora_dropout',
  'megatron_config',
  'megatron_core',
  'modules_to_save',
  'peft_type',
  'r',
  'rank_pattern',
  'revision',
  'target_modules',
  'task_type',
  'use_dora',
  'use_rslora',
];

function st(path: string): SafetensorsFile {
  return readSafetensors(new Uint8Array(readFileSync(path)));
}

function mat(file: SafetensorsFile, name: string): Matrix {
  const e = file.get(name);
  if (!e) throw new Error(`no ${name}`);
  return decodeSafetensor(e, { dtype: 'float64' }) as Matrix;
}

function relDiff(a: Matrix, b: Matrix): number {
  let n = 0;
  let w = 0;
  for (let i = 0; i < a.data.length; i++) {
    n += (a.data[i]! - b.data[i]!) ** 2;
    w += b.data[i]! ** 2;
  }
  return Math.sqrt(n / w);
}

/** W_res + s·B·A, from the files. */
function recon(res: Matrix, A: Matrix, B: Matrix, s: number): Matrix {
  const BA = matmul(B, A);
  const out = res.clone('float64');
  for (let i = 0; i < out.data.length; i++) out.data[i] = out.data[i]! + s * BA.data[i]!;
  return out;
}

async function ok(args: string[]) {
  const r = await run(args, { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r;
}

d('lr peft init', () => {
  it('pissa: PEFT files, sorted keys, [r,in]/[out,r], residual + s·B·A = W', async () => {
    const r = await ok([
      'peft',
      'init',
      '--method',
      'pissa',
      '--model',
      STORIES,
      '--rank',
      '4',
      '--out',
      'pissa',
    ]);
    expect(r.stdout).toMatch(/model\.layers\.0\.self_attn\.q_proj\s+64×64\s+4/);
    const out = join(dir, 'pissa');
    expect(readdirSync(out).sort()).toEqual([
      'adapter_config.json',
      'adapter_model.safetensors',
      'lr_adapter.json',
      'residual_model',
    ]);
    expect(readdirSync(join(out, 'residual_model')).sort()).toEqual([
      'config.json',
      'model.safetensors',
    ]);
    const text = readFileSync(join(out, 'adapter_config.json'), 'utf8');
    const cfg = JSON.parse(text);
    expect(Object.keys(cfg)).toEqual(PEFT_KEYS);
    expect(cfg).toMatchObject({
      peft_type: 'LORA',
      r: 4,
      lora_alpha: 8,
      init_lora_weights: 'pissa',
      target_modules: ['q_proj', 'v_proj'],
      task_type: 'CAUSAL_LM',
      rank_pattern: {},
    });
    const ad = st(join(out, 'adapter_model.safetensors'));
    expect(ad.metadata).toEqual({ format: 'pt' });
    expect(ad.tensors).toHaveLength(20); // 5 layers × {q, v} × {A, B}
    const orig = st(join(STORIES, 'model.safetensors'));
    const res = st(join(out, 'residual_model', 'model.safetensors'));
    expect(res.tensors.map((t) => t.name)).toEqual(orig.tensors.map((t) => t.name));
    const s = 8 / 4;
    for (const t of orig.tensors) {
      const m = /^(.*\.(q|v)_proj)\.weight$/.exec(t.name);
      if (!m) {
        // untouched tensors are copied byte for byte
        expect(Buffer.from(res.get(t.name)!.bytes).equals(t.bytes)).toBe(true);
        continue;
      }
      const A = mat(ad, `base_model.model.${m[1]}.lora_A.weight`);
      const B = mat(ad, `base_model.model.${m[1]}.lora_B.weight`);
      const W = mat(orig, t.name);
      expect(A.shape).toEqual([4, W.cols]);
      expect(B.shape).toEqual([W.rows, 4]);
      expect(res.get(t.name)!.dtype).toBe('F32');
      const R = mat(res, t.name);
      expect(relDiff(recon(R, A, B, s), W)).toBeLessThan(1e-6);
      expect(relDiff(R, W)).toBeGreaterThan(1e-3); // the base really changed
    }
  });

  it.each([
    ['lora', false],
    ['olora', true],
    ['svfit', true],
    ['loldu', true],
  ] as const)('%s is quick and consistent', async (method, residual) => {
    const out = `m-${method}`;
    const r = await ok([
      'peft',
      'init',
      '--method',
      method,
      '--model',
      STORIES,
      '--rank',
      '2',
      '--targets',
      'k_proj,down_proj',
      '--json',
      '--out',
      out,
    ]);
    const res = JSON.parse(r.stdout);
    expect(res.modules).toHaveLength(10);
    expect(existsSync(join(dir, out, 'residual_model'))).toBe(residual);
    const cfg = JSON.parse(readFileSync(join(dir, out, 'adapter_config.json'), 'utf8'));
    expect(cfg.init_lora_weights).toBe(
      ['pissa', 'olora', 'corda'].includes(method) ? method : true,
    );
    const lrCfg = JSON.parse(readFileSync(join(dir, out, 'lr_adapter.json'), 'utf8'));
    expect(lrCfg.method).toBe(method);
    expect(cfg.target_modules).toEqual(['down_proj', 'k_proj']);
    const ad = st(join(dir, out, 'adapter_model.safetensors'));
    const orig = st(join(STORIES, 'model.safetensors'));
    const name = 'model.layers.2.mlp.down_proj';
    const A = mat(ad, `base_model.model.${name}.lora_A.weight`);
    const B = mat(ad, `base_model.model.${name}.lora_B.weight`);
    expect([A.shape, B.shape]).toEqual([
      [2, 172],
      [64, 2],
    ]);
    const W = mat(orig, `${name}.weight`);
    if (residual) {
      const R = mat(st(join(dir, out, 'residual_model', 'model.safetensors')), `${name}.weight`);
      const s = cfg.lora_alpha / cfg.r;
      expect(relDiff(recon(R, A, B, s), W)).toBeLessThan(1e-5);
    } else {
      expect(B.data.every((x) => x === 0)).toBe(true);
    }
    for (const m of res.modules) expect(m.relativeError).toBeLessThan(1e-6);
  });

  it('lq: NF4 base + low-rank adapter, small approximation error', async () => {
    const r = await ok([
      'peft',
      'init',
      '--method',
      'lq',
      '--model',
      STORIES,
      '--rank',
      '4',
      '--targets',
      'k_proj',
      '--json',
      '--out',
      'lq',
    ]);
    const res = JSON.parse(r.stdout);
    expect(res.modules).toHaveLength(5);
    for (const m of res.modules) {
      expect(m.relativeError).toBeGreaterThan(0);
      expect(m.relativeError).toBeLessThan(0.15);
    }
    const cfg = JSON.parse(readFileSync(join(dir, 'lq', 'adapter_config.json'), 'utf8'));
    expect(cfg.init_lora_weights).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'lq', 'lr_adapter.json'), 'utf8')).method).toBe('lq');
    expect(existsSync(join(dir, 'lq', 'residual_model', 'model.safetensors'))).toBe(true);
  });

  it('corda and eora take --calibration activations', async () => {
    const X = randn(40, 64, { seed: 3 });
    writeFileSync(join(dir, 'x.npy'), writeNpy(X));
    const a = await ok([
      'peft',
      'init',
      '--method',
      'corda',
      '--model',
      STORIES,
      '--rank',
      '2',
      '--calibration',
      'x.npy',
      '--mode',
      'kpm',
      '--json',
      '--out',
      'corda',
    ]);
    expect(JSON.parse(a.stdout).modules).toHaveLength(10);
    const b = await ok([
      'peft',
      'init',
      '--method',
      'eora',
      '--model',
      STORIES,
      '--rank',
      '2',
      '--calibration',
      'x.npy',
      '--json',
      '--out',
      'eora',
    ]);
    const e = JSON.parse(b.stdout);
    expect(e.residualModel).toBe('eora/residual_model');
    for (const m of e.modules) expect(m.relativeError).toBeLessThan(0.2); // NF4 error, compensated
    // a calibration whose width is not the targets' input dimension
    const bad = await run(
      [
        'peft',
        'init',
        '--method',
        'corda',
        '--model',
        STORIES,
        '--rank',
        '2',
        '--calibration',
        'x.npy',
        '--targets',
        'down_proj',
        '--out',
        'bad-cal',
      ],
      { cwd: dir },
    );
    expect(isOneLineError(bad)).toBe(true);
    expect(bad.stderr).toMatch(/64 features but model\.layers\.0\.mlp\.down_proj takes 172/);
    expect(existsSync(join(dir, 'bad-cal'))).toBe(false);
  });
});

d('lr peft extract / merge / convert', () => {
  it('extract → merge ≈ tuned; convert gives a plain LoRA for the original model', async () => {
    // A "fine-tune": the original plus a rank-2 change on q/v, minus nothing else.
    const orig = st(join(STORIES, 'model.safetensors'));
    const tuned: Record<string, Matrix> = {};
    const deltas = new Map<string, Matrix>();
    let seed = 10;
    for (const t of orig.tensors) {
      const W = decodeSafetensor(t) as Matrix;
      if (/\.(q|v)_proj\.weight$/.test(t.name)) {
        const D = matmul(randn(W.rows, 2, { seed: seed++ }), randn(2, W.cols, { seed: seed++ }));
        for (let i = 0; i < W.data.length; i++) W.data[i] = W.data[i]! + 0.01 * D.data[i]!;
        deltas.set(t.name, D);
      }
      tuned[t.name] = W;
    }
    const tunedDir = join(dir, 'tuned');
    mkdirSync(tunedDir);
    writeFileSync(
      join(tunedDir, 'model.safetensors'),
      writeSafetensors(tuned, { metadata: { format: 'pt' } }),
    );
    cpSync(join(STORIES, 'config.json'), join(tunedDir, 'config.json'));

    const ex = await ok([
      'peft',
      'extract',
      '--base',
      STORIES,
      '--tuned',
      'tuned',
      '--rank',
      '2',
      '--json',
      '--out',
      'extracted',
    ]);
    const exr = JSON.parse(ex.stdout);
    expect(exr.modules).toHaveLength(10);
    expect(exr.unchanged).toBeGreaterThan(0);
    for (const m of exr.modules) expect(m.relativeError).toBeLessThan(1e-4);
    const cfg = JSON.parse(readFileSync(join(dir, 'extracted', 'adapter_config.json'), 'utf8'));
    expect(cfg.init_lora_weights).toBe(true);

    await ok(['peft', 'merge', '--model', STORIES, '--adapter', 'extracted', '--out', 'merged']);
    const merged = st(join(dir, 'merged', 'model.safetensors'));
    for (const t of orig.tensors) {
      if (t.shape.length !== 2) continue;
      expect(relDiff(mat(merged, t.name), tuned[t.name]!.clone('float64'))).toBeLessThan(1e-5);
    }

    // convert: PiSSA init, "train" it (perturb B), convert, merge on the original
    await ok([
      'peft',
      'init',
      '--method',
      'pissa',
      '--model',
      STORIES,
      '--rank',
      '2',
      '--out',
      'p0',
    ]);
    const p0 = st(join(dir, 'p0', 'adapter_model.safetensors'));
    const trained: Record<string, Matrix> = {};
    for (const t of p0.tensors) {
      const M = decodeSafetensor(t) as Matrix;
      if (t.name.endsWith('lora_B.weight'))
        for (let i = 0; i < M.data.length; i++) M.data[i] = M.data[i]! * 1.1;
      trained[t.name] = M;
    }
    mkdirSync(join(dir, 'p1'));
    writeFileSync(
      join(dir, 'p1', 'adapter_model.safetensors'),
      writeSafetensors(trained, { metadata: { format: 'pt' } }),
    );
    cpSync(join(dir, 'p0', 'adapter_config.json'), join(dir, 'p1', 'adapter_config.json'));
    await ok(['peft', 'convert', '--initial', 'p0', '--trained', 'p1', '--out', 'plain']);
    const pc = JSON.parse(readFileSync(join(dir, 'plain', 'adapter_config.json'), 'utf8'));
    expect([pc.r, pc.lora_alpha, pc.init_lora_weights]).toEqual([4, 16, true]);
    // original + converted = residual + trained
    await ok(['peft', 'merge', '--model', STORIES, '--adapter', 'plain', '--out', 'mA']);
    await ok(['peft', 'merge', '--model', 'p0/residual_model', '--adapter', 'p1', '--out', 'mB']);
    const mA = st(join(dir, 'mA', 'model.safetensors'));
    const mB = st(join(dir, 'mB', 'model.safetensors'));
    for (const t of mA.tensors)
      expect(relDiff(mat(mA, t.name), mat(mB, t.name))).toBeLessThan(1e-5);
  });
});

d('bad input: a clear one-line error and no output folder', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'missing model',
      ['peft', 'init', '--method', 'lora', '--model', 'nope', '--rank', '2', '--out', 'o1'],
      /nope: no such folder/,
    ],
    [
      'pattern matches nothing',
      [
        'peft',
        'init',
        '--method',
        'lora',
        '--model',
        STORIES,
        '--rank',
        '2',
        '--targets',
        'zzz',
        '--out',
        'o2',
      ],
      /matches no Linear module/,
    ],
    [
      'rank too large',
      ['peft', 'init', '--method', 'pissa', '--model', STORIES, '--rank', '65', '--out', 'o3'],
      /--rank 65 exceeds min\(out, in\) = 64/,
    ],
    [
      'eora without calibration',
      ['peft', 'init', '--method', 'eora', '--model', STORIES, '--rank', '2', '--out', 'o4'],
      /needs --calibration/,
    ],
    ['compress: no mode', ['compress', '--model', STORIES, '--out', 'o5'], /exactly one of/],
  ];
  it.each(cases)('%s', async (_name, args, re) => {
    const r = await run(args, { cwd: dir });
    expect(isOneLineError(r)).toBe(true);
    expect(r.stderr).toMatch(re);
    const out = args[args.indexOf('--out') + 1]!;
    expect(existsSync(join(dir, out))).toBe(false);
  });

  it('corrupt safetensors, non-finite weights, mismatched shapes, existing output', async () => {
    const bytes = new Uint8Array(readFileSync(join(STORIES, 'model.safetensors')));
    const mk = (name: string, b: Uint8Array) => {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'model.safetensors'), b);
      cpSync(join(STORIES, 'config.json'), join(dir, name, 'config.json'));
    };
    mk('corrupt', bytes.subarray(0, bytes.length - 100));
    const c = await run(
      ['peft', 'init', '--method', 'pissa', '--model', 'corrupt', '--rank', '2', '--out', 'oc'],
      { cwd: dir },
    );
    expect(isOneLineError(c)).toBe(true);
    expect(c.stderr).toMatch(/FORMAT/);
    expect(existsSync(join(dir, 'oc'))).toBe(false);

    // NaN in a target weight: the error comes mid-run, after the output folder was started
    const file = readSafetensors(bytes);
    const tensors: Record<string, Matrix> = {};
    for (const t of file.tensors) tensors[t.name] = decodeSafetensor(t) as Matrix;
    tensors['model.layers.3.self_attn.v_proj.weight']!.data[5] = Number.NaN;
    mk('nan', writeSafetensors(tensors));
    const n = await run(
      ['peft', 'init', '--method', 'pissa', '--model', 'nan', '--rank', '2', '--out', 'sub/on'],
      { cwd: dir },
    );
    expect(isOneLineError(n)).toBe(true);
    expect(n.stderr).toMatch(/NON_FINITE.*v_proj/);
    expect(existsSync(join(dir, 'sub'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // merge an adapter onto a model whose shapes differ
    await ok([
      'peft',
      'init',
      '--method',
      'lora',
      '--model',
      STORIES,
      '--rank',
      '2',
      '--out',
      'la',
    ]);
    const small: Record<string, Matrix> = {
      'model.layers.0.self_attn.q_proj.weight': randn(32, 64, { seed: 1 }),
    };
    mk('small', writeSafetensors(small));
    const m = await run(['peft', 'merge', '--model', 'small', '--adapter', 'la', '--out', 'om'], {
      cwd: dir,
    });
    expect(isOneLineError(m)).toBe(true);
    expect(m.stderr).toMatch(/has shape \[32,64\], the adapter needs \[64, 64\]/);
    expect(existsSync(join(dir, 'om'))).toBe(false);

    // an existing output folder is refused (and kept)
    const e = await run(
      ['peft', 'init', '--method', 'lora', '--model', STORIES, '--rank', '2', '--out', 'la'],
      { cwd: dir },
    );
    expect(isOneLineError(e)).toBe(true);
    expect(e.stderr).toMatch(/already exists/);
    expect(existsSync(join(dir, 'la', 'adapter_config.json'))).toBe(true);
  });
});

d('sharded and half-precision models', () => {
  it('pissa on a sharded BF16 copy: residual keeps shards, index and BF16; identity holds', async () => {
    const { loadTensor, memoryStore, openModel, writeModel } = await import('@lr/peft');
    const src = await openModel(
      memoryStore({
        'config.json': readFileSync(join(STORIES, 'config.json')),
        'model.safetensors': new Uint8Array(readFileSync(join(STORIES, 'model.safetensors'))),
      }),
    );
    const names = [...src.tensors.keys()];
    const sink = memoryStore();
    await writeModel(sink, {
      tensors: names.map((n, i) => ({
        name: n,
        dtype: 'BF16' as const,
        shape: src.tensors.get(n)!.shape,
        shard: `model-0000${(i % 2) + 1}-of-00002.safetensors`,
      })),
      produce: (p) => loadTensor(src, p.name),
      config: JSON.parse(readFileSync(join(STORIES, 'config.json'), 'utf8')),
    });
    mkdirSync(join(dir, 'bf16'));
    for (const [f, b] of sink.files) writeFileSync(join(dir, 'bf16', f), b);

    await ok([
      'peft',
      'init',
      '--method',
      'pissa',
      '--model',
      'bf16',
      '--rank',
      '3',
      '--out',
      'pbf',
    ]);
    const res = join(dir, 'pbf', 'residual_model');
    expect(readdirSync(res).sort()).toEqual([
      'config.json',
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
      'model.safetensors.index.json',
    ]);
    const ad = st(join(dir, 'pbf', 'adapter_model.safetensors'));
    expect(ad.tensors.every((t) => t.dtype === 'BF16')).toBe(true);
    const index = JSON.parse(readFileSync(join(res, 'model.safetensors.index.json'), 'utf8'));
    const name = 'model.layers.1.self_attn.q_proj';
    const shard = st(join(res, index.weight_map[`${name}.weight`]));
    expect(shard.get(`${name}.weight`)!.dtype).toBe('BF16');
    const orig = st(join(dir, 'bf16', index.weight_map[`${name}.weight`]));
    const W = mat(orig, `${name}.weight`);
    const R = mat(shard, `${name}.weight`);
    const A = mat(ad, `base_model.model.${name}.lora_A.weight`);
    const B = mat(ad, `base_model.model.${name}.lora_B.weight`);
    // BF16 has 8 significant bits: the identity holds to BF16 rounding
    expect(relDiff(recon(R, A, B, 8 / 3), W)).toBeLessThan(1e-2);
  });

  it('eora with --compressed: the adapter compensates an lr compress model', async () => {
    await ok(['compress', '--model', STORIES, '--rank', '16', '--out', 'c16']);
    await ok(['decompress', '--model', 'c16', '--out', 'c16d']);
    const X = randn(50, 64, { seed: 4 });
    writeFileSync(join(dir, 'x2.npy'), writeNpy(X));
    const r = await ok([
      'peft',
      'init',
      '--method',
      'eora',
      '--model',
      STORIES,
      '--compressed',
      'c16d',
      '--calibration',
      'x2.npy',
      '--rank',
      '4',
      '--json',
      '--out',
      'eo',
    ]);
    const e = JSON.parse(r.stdout);
    expect(e.residualModel).toBeNull();
    expect(existsSync(join(dir, 'eo', 'residual_model'))).toBe(false);
    expect(e.modules).toHaveLength(10);
    const bogus = await run(['peft', 'bogus'], { cwd: dir });
    expect(isOneLineError(bogus)).toBe(true);
    expect(bogus.stderr).toMatch(/unknown command 'bogus'/);
  });
});
