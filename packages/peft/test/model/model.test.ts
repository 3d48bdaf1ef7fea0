import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeSafetensor,
  LrError,
  Matrix,
  randn,
  readSafetensors,
  Tensor,
  writeSafetensors,
} from '@lr/core';
import { describe, expect, it } from 'vitest';
import {
  adapterConfig,
  loadTensor,
  type ModelStore,
  matchesTarget,
  memoryStore,
  openModel,
  readAdapter,
  rewriteModel,
  selectTargets,
  serializeAdapterConfig,
  targetModulesForConfig,
  writeAdapter,
  writeModel,
} from '../../src/index.js';

const STORIES = join(__dirname, '../../../../../shared/data/weights/stories260K');
const haveStories = existsSync(join(STORIES, 'model.safetensors'));

/** A tiny node:fs store, as the CLI's, to read the real folder. */
function fsStore(dir: string): ModelStore {
  return {
    label: dir,
    read: async (n) => new Uint8Array(readFileSync(join(dir, n))),
    async readRange(n, s, e) {
      const fd = openSync(join(dir, n), 'r');
      try {
        const out = new Uint8Array(e - s);
        readSync(fd, out, 0, out.length, s);
        return out;
      } finally {
        closeSync(fd);
      }
    },
    size: async (n) => statSync(join(dir, n)).size,
    list: async () => readdirSync(dir),
  };
}

function toy(dtype: 'F32' | 'F16' | 'BF16' = 'F32') {
  const tensors = {
    'model.embed_tokens.weight': randn(10, 6, { seed: 1 }),
    'model.layers.0.self_attn.q_proj.weight': randn(6, 6, { seed: 2 }),
    'model.layers.0.self_attn.v_proj.weight': randn(4, 6, { seed: 3 }),
    'model.layers.0.mlp.up_proj.weight': randn(8, 6, { seed: 4 }),
    'model.layers.0.input_layernorm.weight': new Tensor(new Float64Array(6).fill(1), [6]),
    'lm_head.weight': randn(10, 6, { seed: 5 }),
  };
  return memoryStore({
    'config.json': JSON.stringify({ model_type: 'llama', hidden_size: 6 }),
    'model.safetensors': writeSafetensors(tensors, { dtype, metadata: { format: 'pt' } }),
  });
}

describe('openModel / loadTensor', () => {
  it('reads config and the tensor index without reading data', async () => {
    const m = await openModel(toy());
    expect(m.config?.model_type).toBe('llama');
    expect(m.sharded).toBe(false);
    expect(m.tensors.get('model.layers.0.self_attn.v_proj.weight')).toMatchObject({
      dtype: 'F32',
      shape: [4, 6],
      shard: 'model.safetensors',
    });
    const W = await loadTensor(m, 'model.layers.0.self_attn.v_proj.weight', { dtype: 'float64' });
    expect(W).toBeInstanceOf(Matrix);
    expect(W.dtype).toBe('float64');
  });

  it('reads the real stories260K folder, single file and sharded copy alike', async () => {
    if (!haveStories) return;
    const m = await openModel(fsStore(STORIES));
    expect(m.tensors.size).toBe(47);
    expect(m.config?.hidden_size).toBe(64);
    const q = await loadTensor(m, 'model.layers.0.self_attn.q_proj.weight');
    expect(q.shape).toEqual([64, 64]);

    // Sharded copy in a temp dir: three shards + index.json.
    const dir = mkdtempSync(join(tmpdir(), 'lr-peft-shard-'));
    try {
      const names = [...m.tensors.keys()];
      const weightMap: Record<string, string> = {};
      for (let s = 0; s < 3; s++) {
        const file = `model-0000${s + 1}-of-00003.safetensors`;
        const part: [string, Tensor][] = [];
        for (let i = s; i < names.length; i += 3) {
          part.push([names[i]!, await loadTensor(m, names[i]!)]);
          weightMap[names[i]!] = file;
        }
        writeFileSync(join(dir, file), writeSafetensors(part, { metadata: { format: 'pt' } }));
      }
      writeFileSync(
        join(dir, 'model.safetensors.index.json'),
        JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }),
      );
      writeFileSync(join(dir, 'config.json'), readFileSync(join(STORIES, 'config.json')));
      const sh = await openModel(fsStore(dir));
      expect(sh.sharded).toBe(true);
      expect(sh.shards).toHaveLength(3);
      expect([...sh.tensors.keys()].sort()).toEqual([...names].sort());
      for (const n of names) {
        const a = await loadTensor(m, n);
        const b = await loadTensor(sh, n);
        expect(b.shape).toEqual(a.shape);
        expect(Array.from(b.data)).toEqual(Array.from(a.data));
      }
      // a residual copy keeps the sharding, the index and untouched tensors byte for byte
      const out = memoryStore();
      const target = 'model.layers.1.mlp.down_proj.weight';
      await rewriteModel(sh, out, {
        transform: (info) => (info.name === target ? randn(64, 172, { seed: 9 }) : undefined),
      });
      expect([...out.files.keys()].sort()).toEqual(readdirSync(dir).sort());
      const re = await openModel(out);
      expect(re.sharded).toBe(true);
      for (const n of names) {
        const a = await loadTensor(sh, n);
        const b = await loadTensor(re, n);
        if (n === target) expect(Array.from(b.data)).not.toEqual(Array.from(a.data));
        else expect(Array.from(b.data)).toEqual(Array.from(a.data));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(['F16', 'BF16'] as const)('writes a %s residual back in %s', async (dtype) => {
    const m = await openModel(toy(dtype));
    const name = 'model.layers.0.mlp.up_proj.weight';
    const W = (await loadTensor(m, name, { dtype: 'float64' })) as Matrix;
    const out = memoryStore();
    await rewriteModel(m, out, {
      transform: (info) => (info.name === name ? W.clone() : undefined),
    });
    const file = readSafetensors(out.files.get('model.safetensors')!);
    expect(file.get(name)!.dtype).toBe(dtype);
    // values decoded from the dtype survive the round trip bit for bit
    expect(out.files.get('model.safetensors')).toEqual(await m.store.read('model.safetensors'));
    // a changed tensor (×2, exact in any binary float format) is written in the input dtype
    const out2 = memoryStore();
    await rewriteModel(m, out2, {
      transform: (info) => {
        if (info.name !== name) return undefined;
        const D = W.clone();
        for (let i = 0; i < D.data.length; i++) D.data[i]! *= 2;
        return D;
      },
    });
    const W2 = await loadTensor(await openModel(out2), name, { dtype: 'float64' });
    expect(Array.from(W2.data)).toEqual(Array.from(W.data, (x) => 2 * x));
  });

  it('a corrupt safetensors file is a FORMAT error', async () => {
    const good = (await toy().read('model.safetensors')).slice();
    for (const bad of [
      good.subarray(0, good.length - 3),
      good.subarray(0, 5),
      (() => {
        const b = good.slice();
        b[8] = 0x20; // header no longer starts with '{'
        return b;
      })(),
    ]) {
      const err = await openModel(memoryStore({ 'model.safetensors': bad })).catch((e) => e);
      expect(err).toBeInstanceOf(LrError);
      expect(err.code).toBe('FORMAT');
    }
    // an index naming a missing shard / a tensor not in its shard
    const idx = (wm: Record<string, string>) =>
      memoryStore({
        'model.safetensors.index.json': JSON.stringify({ weight_map: wm }),
        'a.safetensors': good,
      });
    for (const wm of [
      { x: 'b.safetensors' },
      { 'lm_head.weight': 'a.safetensors', nope: 'a.safetensors' },
    ] as Record<string, string>[]) {
      const err = await openModel(idx(wm)).catch((e) => e);
      expect(err.code).toBe('FORMAT');
    }
    const none = await openModel(memoryStore({ 'config.json': '{}' })).catch((e) => e);
    expect(none.code).toBe('FORMAT');
    expect(none.message).toMatch(/no model\.safetensors/);
  });

  it('works with a store that can only read whole files (no listing, no ranges)', async () => {
    const mem = toy();
    const plain: ModelStore = { read: (n) => mem.read(n) };
    const m = await openModel(plain);
    const a = await loadTensor(m, 'model.layers.0.mlp.up_proj.weight');
    const b = await loadTensor(await openModel(mem), 'model.layers.0.mlp.up_proj.weight');
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const empty: ModelStore = {
      read: async (n) => {
        throw new Error(`ENOENT ${n}`);
      },
    };
    await expect(openModel(empty)).rejects.toMatchObject({ code: 'FORMAT' });
  });

  it('non-finite weights are refused with requireFinite', async () => {
    const W = randn(3, 3, { seed: 1 });
    W.set(1, 2, Number.NaN);
    const m = await openModel(
      memoryStore({ 'model.safetensors': writeSafetensors({ 'a.weight': W }) }),
    );
    const err = await loadTensor(m, 'a.weight', { requireFinite: true }).catch((e) => e);
    expect(err.code).toBe('NON_FINITE');
    expect(err.message).toMatch(/\[1, 2\]/);
  });
});

describe('selectTargets', () => {
  it('follows PEFT: list = name or suffix after a dot; string = full regex match', async () => {
    expect(matchesTarget('model.layers.0.self_attn.q_proj', ['q_proj'])).toBe(true);
    expect(matchesTarget('model.layers.0.self_attn.xq_proj', ['q_proj'])).toBe(false);
    expect(matchesTarget('model.layers.0.self_attn.q_proj', 'q_proj')).toBe(false);
    expect(matchesTarget('model.layers.0.self_attn.q_proj', '.*\\.q_proj')).toBe(true);
    expect(matchesTarget('model.layers.0.self_attn.q_proj', /.*q_proj/)).toBe(true);
    const m = await openModel(toy());
    expect(selectTargets(m).map((t) => t.module)).toEqual([
      'model.layers.0.self_attn.q_proj',
      'model.layers.0.self_attn.v_proj',
    ]);
    const all = selectTargets(m, 'all-linear').map((t) => t.module);
    expect(all).not.toContain('lm_head');
    expect(all).not.toContain('model.embed_tokens');
    expect(all).toHaveLength(3);
    expect(targetModulesForConfig('all-linear', selectTargets(m, 'all-linear'))).toEqual([
      'q_proj',
      'up_proj',
      'v_proj',
    ]);
    expect(selectTargets(m, 'lm_head').map((t) => t.shape)).toEqual([[10, 6]]);
  });

  it('a pattern that matches nothing, or is not a regex, is a clear error', async () => {
    const m = await openModel(toy());
    expect(() => selectTargets(m, ['nothing'])).toThrow(/matches no Linear module/);
    expect(() => selectTargets(m, '(')).toThrow(/not a valid regular expression/);
    expect(() => selectTargets(m, [])).toThrow(/at least one/);
  });
});

describe('writeAdapter / readAdapter', () => {
  it('writes PEFT keys sorted, tensors [r,in]/[out,r], metadata format pt; reads back', async () => {
    const sink = memoryStore();
    const A = randn(2, 6, { seed: 1 });
    const B = randn(4, 2, { seed: 2 });
    const A3 = randn(3, 6, { seed: 3 });
    const B3 = randn(6, 3, { seed: 4 });
    await writeAdapter(sink, {
      method: 'pissa',
      niter: 4,
      rank: 2,
      alpha: 4,
      targetModules: ['v_proj', 'q_proj'],
      baseModel: 'stories260K',
      taskType: 'CAUSAL_LM',
      dtype: 'BF16',
      tensors: {
        'model.layers.0.self_attn.v_proj': { A, B },
        'model.layers.0.self_attn.q_proj': { A: A3, B: B3 },
      },
    });
    const text = new TextDecoder().decode(sink.files.get('adapter_config.json')!);
    const cfg = JSON.parse(text);
    const keys = Object.keys(cfg);
    expect(keys).toEqual([...keys].sort());
    for (const k of [
      'peft_type',
      'r',
      'lora_alpha',
      'target_modules',
      'init_lora_weights',
      'base_model_name_or_path',
      'task_type',
      'fan_in_fan_out',
      'bias',
      'use_rslora',
      'use_dora',
      'rank_pattern',
      'alpha_pattern',
      'modules_to_save',
      'inference_mode',
      'lora_dropout',
    ])
      expect(keys).toContain(k);
    expect(cfg).toMatchObject({
      peft_type: 'LORA',
      r: 2,
      lora_alpha: 4,
      init_lora_weights: 'pissa_niter_4',
      bias: 'none',
      fan_in_fan_out: false,
      use_dora: false,
      inference_mode: true,
      modules_to_save: null,
      target_modules: ['v_proj', 'q_proj'],
      rank_pattern: { 'model.layers.0.self_attn.q_proj': 3 },
    });
    expect(text).toContain('"lora_dropout": 0.0');
    expect(text.startsWith('{\n  "alpha_pattern": {},\n')).toBe(true);
    const file = readSafetensors(sink.files.get('adapter_model.safetensors')!);
    expect(file.metadata).toEqual({ format: 'pt' });
    const a = file.get('base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight')!;
    expect([a.dtype, a.shape]).toEqual(['BF16', [2, 6]]);
    expect(
      file.get('base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight')!.shape,
    ).toEqual([4, 2]);
    const back = await readAdapter(sink);
    expect(back.dtype).toBe('BF16');
    const q = back.modules.get('model.layers.0.self_attn.q_proj')!;
    expect([q.rank, q.scaling]).toEqual([3, 4 / 3]);
    const v = back.modules.get('model.layers.0.self_attn.v_proj')!;
    expect(v.scaling).toBe(2);
    const dec = decodeSafetensor(a, { dtype: 'float64' });
    expect(Array.from(v.A.data)).toEqual(Array.from(dec.data));
  });

  it('init_lora_weights per method; serialisation is Python json.dumps(indent=2, sort_keys)', () => {
    const c = (method: Parameters<typeof adapterConfig>[0]['method']) =>
      adapterConfig({ method, rank: 4, targetModules: 'x' }).init_lora_weights;
    expect([
      c('lora'),
      c('pissa'),
      c('olora'),
      c('corda'),
      c('eora'),
      c('svfit'),
      c('loldu'),
      c('lq'),
    ]).toEqual([true, 'pissa', 'olora', 'corda', true, true, true, true]);
    expect(serializeAdapterConfig({ b: [1, 'é'], a: {}, lora_dropout: 0 })).toBe(
      '{\n  "a": {},\n  "b": [\n    1,\n    "\\u00e9"\n  ],\n  "lora_dropout": 0.0\n}',
    );
  });

  it('refuses factors that do not chain and adapters with a missing factor', async () => {
    await expect(
      writeAdapter(memoryStore(), {
        method: 'lora',
        rank: 2,
        targetModules: ['x'],
        tensors: { x: { A: randn(2, 3, { seed: 1 }), B: randn(3, 3, { seed: 2 }) } },
      }),
    ).rejects.toThrow(/share r/);
    const st = memoryStore({
      'adapter_config.json': JSON.stringify({ peft_type: 'LORA', r: 2, lora_alpha: 2 }),
      'adapter_model.safetensors': writeSafetensors({
        'base_model.model.x.lora_A.weight': randn(2, 3, { seed: 1 }),
      }),
    });
    await expect(readAdapter(st)).rejects.toMatchObject({ code: 'FORMAT' });
  });
});

describe('writeModel', () => {
  it('writes a (sharded) model from a plan, readable by openModel', async () => {
    const a = randn(3, 4, { seed: 1 });
    const b = randn(5, 2, { seed: 2 });
    const out = memoryStore();
    await writeModel(out, {
      tensors: [
        {
          name: 'a.weight',
          dtype: 'F16',
          shape: [3, 4],
          shard: 'model-00001-of-00002.safetensors',
        },
        {
          name: 'b.weight',
          dtype: 'F32',
          shape: [5, 2],
          shard: 'model-00002-of-00002.safetensors',
        },
      ],
      produce: (p) => (p.name === 'a.weight' ? a : b),
      config: { model_type: 'x' },
    });
    const m = await openModel(out);
    expect(m.sharded).toBe(true);
    expect(m.config).toEqual({ model_type: 'x' });
    const B2 = await loadTensor(m, 'b.weight', { dtype: 'float64' });
    expect(Array.from(B2.data)).toEqual(Array.from(Float32Array.from(b.data)));
    expect(m.tensors.get('a.weight')!.dtype).toBe('F16');
  });
});
