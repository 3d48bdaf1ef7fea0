import { Command, CommanderError } from 'commander';
import { registerBench } from './commands/bench.js';
import { registerCluster } from './commands/cluster.js';
import { registerComplete } from './commands/complete.js';
import { registerGpu } from './commands/gpu.js';
import { registerInfo } from './commands/info.js';
import { registerOt } from './commands/ot.js';
import { registerPeft } from './commands/peft.js';
import { registerSsm } from './commands/ssm.js';
import { registerSvd } from './commands/svd.js';
import { registerTour } from './commands/tour.js';
import { type CommandContext, createContext } from './context.js';
import { asInputError, CliError } from './errors.js';
import type { Io, MainIo } from './io/types.js';
import { packageVersion } from './paths.js';

const GLOBAL_FLAGS = new Set(['-h', '--help', '-V', '--version']);

function buildProgram(ctx: CommandContext): Command {
  const { stdout, stderr } = ctx.io;
  const program = new Command('lr');
  program
    .description(
      'Low-rank linear algebra for Node.js and the browser: inspect tensor files, compute SVDs, complete ratings matrices, cluster tables, solve optimal transport, benchmark the kernels, and tour the library in an HTML report.\nWith no command, runs `lr tour`.',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => stdout.write(s),
      writeErr: (s) => stderr.write(s),
      // main() prints errors itself, as one line.
      outputError: () => {},
      getOutHelpWidth: () => stdout.columns ?? 100,
      getErrHelpWidth: () => stderr.columns ?? 100,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .showSuggestionAfterError(true)
    .hook('preSubcommand', (_cmd, sub) => {
      if (sub.name() !== 'help') ctx.enter(sub.name());
    })
    .addHelpText(
      'after',
      `
Exit status: 0 success, 2 bad usage or bad input, 1 anything else (LR_DEBUG=1 prints stacks).

Examples:
  lr                                   write lr-report/index.html (the tour)
  lr info model.safetensors            list the tensors in a file
  lr svd image.npy --rank 20 --json    the 20 largest singular values
  lr bench gemm svd --size 256         time the kernels
  lr gpu info                          WebGPU adapter, features and limits (bench gpu-gemm gpu-bitmm)
  lr complete ratings.csv --rank 10    matrix completion, held-out RMSE
  lr cluster iris.csv -k 3             k-means (and 5 other methods), ARI/NMI
  lr ot --a a.npy --b b.npy --cost c.npy --reg 0.01   entropic optimal transport
  lr peft init --method pissa --model DIR --rank 8 --out adapter   PiSSA adapter in PEFT format
  lr compress --model DIR --ratio 0.5 --out small   low-rank compression (lr decompress expands it)
  lr ssm kernel --init s4d-legs -N 64 -L 4096 --out K.npy   diagonal SSM (S4D) convolution kernels`,
    );
  registerTour(program, ctx);
  registerInfo(program, ctx);
  registerSvd(program, ctx);
  registerBench(program, ctx);
  registerGpu(program, ctx);
  registerComplete(program, ctx);
  registerCluster(program, ctx);
  registerOt(program, ctx);
  registerPeft(program, ctx);
  registerSsm(program, ctx);
  return program;
}

/**
 * Runs the `lr` command line in-process and resolves to its exit status: 0 success,
 * 2 bad usage or bad input (an `LrError`, a missing file, an unknown command or option;
 * one line on stderr), 1 anything else (the message, and the stack with `LR_DEBUG=1`).
 *
 * @param argv the arguments after the program name, e.g. `['info', 'a.npy', '--json']`
 * @param io streams, working directory and environment (default: the process's own)
 * @returns the exit status
 * @example
 * const code = await main(['svd', 'a.npy', '--json'], { stdout: { write: (s) => void out.push(s) } });
 */
export async function main(argv: readonly string[], io: MainIo = {}): Promise<number> {
  const full: Io = {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
  };
  const ctx = createContext(full);
  // `lr` alone, or `lr --out DIR …`, is the tour.
  const args = [...argv];
  if (args.length === 0 || (args[0]!.startsWith('-') && !GLOBAL_FLAGS.has(args[0]!)))
    args.unshift('tour');
  try {
    const program = buildProgram(ctx);
    // `lr help NAME` with an unknown NAME: commander would print the general help and
    // exit 1; report it as the usage error it is.
    if (
      args[0] === 'help' &&
      args[1] !== undefined &&
      !program.commands.some((c) => c.name() === args[1])
    ) {
      throw new CliError(`unknown command '${args[1]}' (see 'lr --help')`);
    }
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (err) {
    return report(err, ctx);
  }
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

function report(err: unknown, ctx: CommandContext): number {
  const { stderr, env } = ctx.io;
  const prefix = ctx.current ? `lr: ${ctx.current}: ` : 'lr: ';
  if (err instanceof CommanderError) {
    if (
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version' ||
      (err.code === 'commander.help' && err.exitCode === 0)
    ) {
      return 0;
    }
    const msg = err.message
      .replace(/^error: /, '')
      .replace(/\s*\n\(Did you mean (.*)\?\)/, '; did you mean $1?')
      .replace(/\.$/, '');
    const help = ctx.current ? `lr ${ctx.current} --help` : 'lr --help';
    stderr.write(`${prefix}${oneLine(msg)} (see '${help}')\n`);
    return 2;
  }
  const input = asInputError('', err);
  if (input instanceof CliError) {
    stderr.write(`${prefix}${oneLine(input.message.replace(/^: /, ''))}\n`);
    return input.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  stderr.write(`${prefix}${oneLine(e.message) || e.name}\n`);
  if (env.LR_DEBUG === '1' && e.stack) stderr.write(`${e.stack}\n`);
  return 1;
}
