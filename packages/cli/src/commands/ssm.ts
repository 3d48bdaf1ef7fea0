import { parseSafetensorsHeader, Tensor, UnsupportedError, writeNpy } from '@lr/core';
import {
  type DiagonalSsm,
  type DiscretizeMethod,
  hippoKernel,
  ptdInit,
  S4DLayer,
  S5Layer,
  type SequenceLayout,
  s4dInit,
  ssmKernel,
} from '@lr/ssm';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { CliError, withSubject } from '../errors.js';
import { formatSeconds, formatShape } from '../format.js';
import { checkOutputs, writeOutputs } from '../io/atomic.js';
import { loadTensor, readInputBytes } from '../io/read.js';
import {
  parseChoice,
  parseNonNegativeInt,
  parsePositiveInt,
  parsePositiveNumber,
} from '../parse.js';

/** Initializations of `lr ssm kernel`. */
export const SSM_KERNEL_INITS = [
  's4d-lin',
  's4d-inv',
  's4d-legs',
  's4d-real',
  'random',
  'ptd',
  'hippo',
] as const;
export type SsmKernelInit = (typeof SSM_KERNEL_INITS)[number];

/** Options of {@link computeSsmKernel}. */
export interface SsmKernelCommandOptions {
  init: SsmKernelInit;
  /** State size N (even); default 64. */
  N?: number;
  /** Kernel length; default 4096. */
  L?: number;
  /** Channels H; default 1. */
  channels?: number;
  dtMin?: number;
  dtMax?: number;
  seed?: number;
  /** Discretization; default `'zoh'` for the diagonal inits, `'bilinear'` (the only one) for `hippo`. */
  method?: DiscretizeMethod;
}

/** What {@link computeSsmKernel} returns. */
export interface SsmKernelCommandResult {
  /** H×L kernels, row-major. */
  K: Tensor;
  logDt: Float64Array;
  method: DiscretizeMethod;
  seconds: number;
}

/**
 * The kernels `lr ssm kernel` computes: a diagonal bank from the chosen init and its
 * Vandermonde kernel, or (`hippo`) the dense bilinear recurrence of the full HiPPO-LegS
 * system with real standard-normal C.
 *
 * @throws {LrError} for bad sizes or dt range; `UNSUPPORTED` for `hippo` with `zoh`
 */
export function computeSsmKernel(options: SsmKernelCommandOptions): SsmKernelCommandResult {
  const N = options.N ?? 64;
  const L = options.L ?? 4096;
  const channels = options.channels ?? 1;
  const common = { channels, dtMin: options.dtMin, dtMax: options.dtMax, seed: options.seed ?? 0 };
  const t0 = performance.now();
  if (options.init === 'hippo') {
    if (options.method === 'zoh') {
      throw new UnsupportedError(
        '--init hippo is discretized by the bilinear rule only (a dense ZOH needs a matrix exponential); use --method bilinear',
      );
    }
    const r = hippoKernel({ N, L, ...common });
    return { K: r.K, logDt: r.logDt, method: 'bilinear', seconds: (performance.now() - t0) / 1000 };
  }
  let bank: DiagonalSsm;
  if (options.init === 'ptd') {
    bank = ptdInit({ N, ...common }).ssm;
  } else {
    const kind = options.init === 'random' ? 'random' : options.init.slice(4);
    bank = s4dInit({ N, init: kind as 'lin' | 'inv' | 'legs' | 'real', ...common });
  }
  const method = options.method ?? 'zoh';
  const r = ssmKernel(bank, { L, method });
  return { K: r.K, logDt: bank.logDt, method, seconds: (performance.now() - t0) / 1000 };
}

interface KernelFlags {
  init: SsmKernelInit;
  stateSize: number;
  length: number;
  channels: number;
  dtMin?: number;
  dtMax?: number;
  seed: number;
  method?: DiscretizeMethod;
  out?: string;
  json?: boolean;
  force?: boolean;
}

interface ApplyFlags {
  weights: string;
  input: string;
  tensor?: string;
  out?: string;
  layout: SequenceLayout;
  mode: 'auto' | 'conv' | 'recurrence' | 'scan';
  method: DiscretizeMethod;
  prefix?: string;
  json?: boolean;
  force?: boolean;
}

/** Registers `lr ssm` (`kernel`, `apply`). */
export function registerSsm(program: Command, ctx: CommandContext): void {
  const ssm = program
    .command('ssm')
    .summary('diagonal state-space models: kernels and inference (S4D, S5)')
    .description(
      `Diagonal state-space models (S4D, Gu et al. 2022; S5, Smith et al. 2023).

  kernel  the convolution kernels K_l = 2·Re Σ C·B̄·Ā^l of a randomly initialized bank of
          H SSMs, written as an H×L .npy
  apply   run a trained S4D or S5 layer (weights in .safetensors) over sequences in a .npy`,
    )
    .hook('preSubcommand', (_cmd, sub) => {
      if (sub.name() !== 'help') ctx.enter(`ssm ${sub.name()}`);
    });

  ssm
    .command('kernel')
    .summary('the SSM convolution kernel of an initialization')
    .description(
      `SSM convolution kernels of H channels, each with its own log-uniform dt in [--dt-min, --dt-max]
(defaults 0.001 and 0.1, S4D's) and complex standard-normal C (seeded by --seed).

  s4d-lin   A_n = −½ + iπn               s4d-inv  A_n = −½ + i(N/π)(N/(2n+1) − 1)
  s4d-legs  diagonal part of HiPPO-LegS's NPLR form, B = V*B
  s4d-real  A_n = −(n+1)                 random   random decay rates and frequencies
  ptd       perturb-then-diagonalize (Yu et al. 2024)
  hippo     the full (non-diagonal) HiPPO-LegS system, bilinear, dense recurrence, real
            standard-normal C: the reference the diagonal inits approximate

--method zoh (default) or bilinear. --out writes K as float64 [H, L] .npy (via a temporary
file renamed into place; an existing file needs --force).`,
    )
    .requiredOption('--init <init>', SSM_KERNEL_INITS.join(' | '), parseChoice(SSM_KERNEL_INITS))
    .option('-N, --state-size <N>', 'state size N (even)', parsePositiveInt, 64)
    .option('-L, --length <L>', 'kernel length', parsePositiveInt, 4096)
    .option('--channels <H>', 'number of channels', parsePositiveInt, 1)
    .option('--dt-min <dt>', 'smallest step (default 0.001)', parsePositiveNumber)
    .option('--dt-max <dt>', 'largest step (default 0.1)', parsePositiveNumber)
    .option('--seed <s>', 'seed', parseNonNegativeInt, 0)
    .option('--method <method>', 'zoh or bilinear', parseChoice(['zoh', 'bilinear'] as const))
    .option('--out <file>', 'write K [H, L] to a .npy file')
    .option(
      '--json',
      'print {"init","N","L","channels","method","seconds","dt":[...],"norms":[...]}',
    )
    .option('--force', 'overwrite an existing --out file')
    .action((flags: KernelFlags) => ctx.run('ssm kernel', () => kernelCommand(flags, ctx)));

  ssm
    .command('apply')
    .summary('run an S4D or S5 layer over sequences')
    .description(
      `Runs the SSM of one trained layer over the sequences of --input (.npy) and writes the outputs.

Weights (.safetensors): S4D (names of the S4D reference code: log_dt [H], log_A_real or A_real
[H, N/2], A_imag [H, N/2], C [H, N/2, 2], optional B [H, N/2, 2] and D [H]) or S5 (Lambda_re,
Lambda_im [P], B [P, H, 2], C [H, P, 2], D [H], log_step [P]); --prefix selects one layer of
a larger checkpoint. --input is [batch, L, H] or [L, H] (--layout BLH, default) or
[batch, H, L] / [H, L] (--layout BHL). The output has the input's shape, float64 (float32 for a
float32 input). --mode: auto (FFT convolution for L ≥ 64, else the recurrence), conv,
recurrence or scan (S5: scan or recurrence).`,
    )
    .requiredOption('--weights <file>', '.safetensors weights')
    .requiredOption('--input <file>', '.npy input sequences')
    .option('--tensor <name>', 'input tensor name (for a .safetensors input)')
    .option('--out <file>', 'write the outputs to a .npy file')
    .option('--layout <layout>', 'BLH or BHL', parseChoice(['BLH', 'BHL'] as const), 'BLH')
    .option(
      '--mode <mode>',
      'auto, conv, recurrence or scan',
      parseChoice(['auto', 'conv', 'recurrence', 'scan'] as const),
      'auto',
    )
    .option(
      '--method <method>',
      'zoh or bilinear',
      parseChoice(['zoh', 'bilinear'] as const),
      'zoh',
    )
    .option('--prefix <prefix>', "tensor-name prefix of the layer, e.g. 'layers.0.kernel.'")
    .option('--json', 'print {"layer","shape","mode","seconds"}')
    .option('--force', 'overwrite an existing --out file')
    .action((flags: ApplyFlags) => ctx.run('ssm apply', () => applyCommand(flags, ctx)));
}

function kernelCommand(flags: KernelFlags, ctx: CommandContext): void {
  if (flags.stateSize % 2 !== 0)
    throw new CliError(`-N ${flags.stateSize}: the state size must be even (N/2 complex modes)`);
  if (flags.dtMin !== undefined && flags.dtMax !== undefined && flags.dtMax < flags.dtMin)
    throw new CliError(`--dt-max ${flags.dtMax} is below --dt-min ${flags.dtMin}`);
  const outPath = flags.out === undefined ? undefined : ctx.resolve(flags.out);
  if (outPath) {
    if (!outPath.toLowerCase().endsWith('.npy'))
      throw new CliError(`--out ${flags.out}: expected a .npy file name`);
    checkOutputs([outPath], { force: flags.force, display: () => flags.out! });
  }
  const progress = ctx.progress();
  progress.update(
    `${flags.init} kernel, N ${flags.stateSize}, L ${flags.length}, H ${flags.channels}`,
  );
  const r = withSubject(`--init ${flags.init}`, () =>
    computeSsmKernel({
      init: flags.init,
      N: flags.stateSize,
      L: flags.length,
      channels: flags.channels,
      dtMin: flags.dtMin,
      dtMax: flags.dtMax,
      seed: flags.seed,
      method: flags.method,
    }),
  );
  progress.done();
  const H = flags.channels;
  const L = flags.length;
  if (outPath) {
    writeOutputs([{ path: outPath, bytes: writeNpy(new Tensor(r.K.data, [H, L])) }], {
      force: flags.force,
      display: () => flags.out!,
    });
  }
  const norms: number[] = [];
  for (let h = 0; h < H; h++) {
    let s = 0;
    for (let l = 0; l < L; l++) s += (r.K.data[h * L + l] as number) ** 2;
    norms.push(Math.sqrt(s));
  }
  const dt = Array.from(r.logDt, Math.exp);
  if (flags.json) {
    ctx.out(
      JSON.stringify({
        init: flags.init,
        N: flags.stateSize,
        L,
        channels: H,
        method: r.method,
        seconds: r.seconds,
        dt,
        norms,
        ...(flags.out ? { out: flags.out } : {}),
      }),
    );
    return;
  }
  ctx.out(
    `${flags.init} kernel: N ${flags.stateSize}, L ${L}, H ${H}, ${r.method}, ${formatSeconds(r.seconds)}`,
  );
  const shown = Math.min(H, 8);
  for (let h = 0; h < shown; h++) {
    const head = Array.from(r.K.data.subarray(h * L, h * L + Math.min(L, 4)) as Float64Array, (v) =>
      v.toPrecision(4),
    ).join(', ');
    ctx.out(
      `  channel ${h}: dt ${dt[h]!.toPrecision(3)}, ‖K‖₂ ${norms[h]!.toPrecision(4)}, K[0..] = ${head}${L > 4 ? ', …' : ''}`,
    );
  }
  if (H > shown) ctx.out(`  … ${H - shown} more channels (--json prints all)`);
  if (flags.out) ctx.out(`wrote ${flags.out} (float64 [${H}, ${L}])`);
}

function applyCommand(flags: ApplyFlags, ctx: CommandContext): void {
  const wPath = ctx.resolve(flags.weights);
  const inPath = ctx.resolve(flags.input);
  const outPath = flags.out === undefined ? undefined : ctx.resolve(flags.out);
  if (outPath) {
    if (!outPath.toLowerCase().endsWith('.npy'))
      throw new CliError(`--out ${flags.out}: expected a .npy file name`);
    checkOutputs([outPath], {
      force: flags.force,
      inputs: [wPath, inPath],
      display: () => flags.out!,
    });
  }
  const bytes = withSubject(flags.weights, () => readInputBytes(wPath));
  const names = withSubject(flags.weights, () =>
    parseSafetensorsHeader(bytes).tensors.map((t) => t.name),
  );
  const prefix = flags.prefix ?? '';
  const isS5 = names.some(
    (n) => n === `${prefix}Lambda_re` || (prefix === '' && n.endsWith('.Lambda_re')),
  );
  const loaded = withSubject(flags.input, () => loadTensor(inPath, flags.tensor));
  const u = loaded.tensor;
  const progress = ctx.progress();
  const t0 = performance.now();
  let y: Tensor;
  let layerName: string;
  if (isS5) {
    if (flags.mode === 'conv')
      throw new CliError('--mode conv: an S5 layer (MIMO) runs by scan or recurrence only');
    const layer = withSubject(flags.weights, () =>
      S5Layer.fromSafetensors(bytes, {
        prefix: flags.prefix,
        method: flags.method,
        layout: flags.layout,
      }),
    );
    layerName = `S5 (H ${layer.params.H}, P ${layer.params.P})`;
    progress.update(`S5 ${flags.mode} over ${formatShape(u.shape)}`);
    y = withSubject(flags.input, () =>
      layer.forward(u, flags.mode === 'recurrence' ? 'recurrence' : 'scan'),
    );
  } else {
    const layer = withSubject(flags.weights, () =>
      S4DLayer.fromSafetensors(bytes, {
        prefix: flags.prefix,
        method: flags.method,
        layout: flags.layout,
      }),
    );
    layerName = `S4D (H ${layer.channels}, N ${layer.stateSize})`;
    progress.update(`S4D ${flags.mode} over ${formatShape(u.shape)}`);
    y = withSubject(flags.input, () => layer.forward(u, flags.mode));
  }
  const seconds = (performance.now() - t0) / 1000;
  progress.done();
  if (outPath) {
    const dtype = loaded.tensor.dtype === 'float32' ? 'float32' : 'float64';
    writeOutputs([{ path: outPath, bytes: writeNpy(y, { dtype }) }], {
      force: flags.force,
      inputs: [wPath, inPath],
      display: () => flags.out!,
    });
  }
  if (flags.json) {
    ctx.out(JSON.stringify({ layer: layerName, shape: [...y.shape], mode: flags.mode, seconds }));
    return;
  }
  ctx.out(
    `${flags.input}: ${formatShape(u.shape)} (${flags.layout}) through ${layerName}, ${flags.mode}, ${formatSeconds(seconds)}`,
  );
  if (flags.out) ctx.out(`wrote ${flags.out} (${formatShape(y.shape)})`);
}
