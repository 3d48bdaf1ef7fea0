import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDigits, runFinetuneExperiment, transposeImages } from '../src/experiments/finetune.js';

const digits = readDigits(
  new Uint8Array(readFileSync(new URL('../assets/digits.csv.gz', import.meta.url))),
);

describe('fine-tuning experiment on the digits (issue: @lr/peft fine-tuning)', () => {
  it('reads the table and builds the transposed task', () => {
    expect(digits.X.rows).toBe(1797);
    expect(digits.labels.slice(0, 3)).toEqual([0, 1, 2]);
    const t = transposeImages(digits.X);
    expect(t.get(5, 1 * 8 + 2)).toBe(digits.X.get(5, 2 * 8 + 1));
  });

  it('PiSSA converges faster than LoRA at equal rank; full fine-tuning is the ceiling', () => {
    const r = runFinetuneExperiment(digits, {
      pretrainEpochs: 15,
      epochs: 3,
      methods: ['full', 'lora', 'pissa', 'lora-wta'],
    });
    expect(r.pretrainAccuracy).toBeGreaterThan(0.9);
    // The transposed digits are a new task: the pretrained net is near chance on them.
    expect(r.zeroShotAccuracy).toBeLessThan(0.3);
    const [full, lora, pissa, wta] = r.rows;
    expect(lora!.trainableParameters).toBe(pissa!.trainableParameters);
    expect(lora!.trainableParameters).toBeLessThan(full!.trainableParameters / 5);
    // PiSSA's claim: the principal-subspace init trains faster than LoRA's zero-B init.
    expect(pissa!.firstEpochLoss).toBeLessThan(lora!.firstEpochLoss);
    expect(pissa!.finalLoss).toBeLessThan(lora!.finalLoss);
    for (const row of r.rows) expect(row.accuracy).toBeGreaterThan(r.zeroShotAccuracy);
    // WTA-CRS (#20) keeps 8 of 32 activation rows: 4× less cached, still learning the task.
    expect(wta!.cachedActivations * 4).toBe(lora!.cachedActivations);
    expect(wta!.accuracy).toBeGreaterThan(0.5);
  });
});
