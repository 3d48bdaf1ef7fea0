import { statSync } from 'node:fs';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { withSubject } from '../errors.js';
import { formatBytes, formatShape, table } from '../format.js';
import { fileKind, listTensors, type TensorInfo } from '../io/read.js';

/**
 * The tensors of a file, as `lr info` reports them.
 *
 * @param path file path (.safetensors, .npy, .mtx, .csv, optionally .gz)
 * @returns one entry per tensor: name, stored dtype, shape
 */
export function fileInfo(path: string): TensorInfo[] {
  return listTensors(path);
}

/** Registers `lr info`. */
export function registerInfo(program: Command, ctx: CommandContext): void {
  program
    .command('info')
    .summary('list the tensors in a .safetensors, .npy, .mtx or .csv file')
    .description(
      `List the tensors in a file: name, dtype and shape.

  .safetensors  every tensor; only the header is read, so huge files are fine
  .npy          one tensor named "array", dtype as numpy names it (float64, uint8, …)
  .mtx          one tensor named "matrix", dtype "field/format" (real/coordinate, integer/array, pattern/coordinate, …)
  .csv          one tensor named "table", dtype "float64"; a header line is detected and skipped
Any of these may be gzip-compressed (.npy.gz, .csv.gz, …).`,
    )
    .argument('<file>', 'the file to inspect')
    .option('--json', 'print {"tensors":[{"name","dtype","shape"}]}')
    .action((file: string, flags: { json?: boolean }) =>
      ctx.run('info', () => info(file, flags, ctx)),
    );
}

function info(file: string, flags: { json?: boolean }, ctx: CommandContext): void {
  const path = ctx.resolve(file);
  const tensors = withSubject(file, () => fileInfo(path));
  if (flags.json) {
    ctx.out(
      JSON.stringify({
        tensors: tensors.map(({ name, dtype, shape }) => ({ name, dtype, shape })),
      }),
    );
    return;
  }
  const { kind, gzip } = fileKind(path);
  const size = statSync(path).size;
  const count = `${tensors.length} tensor${tensors.length === 1 ? '' : 's'}`;
  const params = tensors.reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0);
  ctx.out(
    `${file}: ${kind}${gzip ? ' (gzip)' : ''}, ${count}, ${params.toLocaleString('en-US')} elements, ${formatBytes(size)}`,
  );
  ctx.out(
    table(
      ['name', 'dtype', 'shape'],
      tensors.map((t) => [t.name, t.dtype, formatShape(t.shape)]),
    ),
  );
}
