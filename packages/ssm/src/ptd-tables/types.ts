/** One shipped PTD perturbation (see ptd.ts). */
export interface PtdTable {
  /** State size N (HiPPO-LegS of size N/2). */
  N: number;
  /** E rounded to float32, little-endian bytes in base64, row-major (N/2)×(N/2). */
  E: string;
  /** L-BFGS iterations the optimisation took. */
  iterations: number;
  /** Whether it stopped on the relative-decrease test. */
  converged: boolean;
  /** κ₂(V) measured when the table was made. */
  kappaV: number;
  /** ‖E‖_F/‖A‖_F measured when the table was made. */
  relPerturbation: number;
}
