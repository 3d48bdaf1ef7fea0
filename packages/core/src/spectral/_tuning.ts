// Crossover sizes and block widths of the spectral engines, in one place. Private: tests
// lower them to drive the blocked and divide-and-conquer paths at small sizes (and restore
// them afterwards); nothing in the public API reads or writes them.

/** Crossovers and block widths used by {@link eigh} and {@link svd}. */
export const _spectralTuning = {
  /**
   * Panel width of the blocked reductions (tridiagonal and bidiagonal; LAPACK's ilaenv
   * default for dsytrd/dgebrd is 32).
   */
  nb: 32,
  /**
   * The blocked reductions are used while more than this many rows and columns remain;
   * the last ones are reduced by the unblocked code (LAPACK's crossover NX, ilaenv: 128).
   * Measured here: at 100 the blocked path is already 1.3× faster.
   */
  blockMin: 64,
  /**
   * Reflectors per compact-WY block when Q or P is applied or formed
   * (LAPACK dormtr/dormbr use 32 to 64; 64 measured best at 1000).
   */
  applyNb: 64,
  /**
   * Divide and conquer is used above this order; smaller problems, and the leaves of the
   * divide-and-conquer tree, use the implicit QR iteration (LAPACK's SMLSIZ, ilaenv: 25).
   */
  dcMin: 25,
  /**
   * Tall inputs (m ≥ qrRatio·n) are QR-factorized first and R is bidiagonalized
   * (LAPACK dgesdd's crossover MNTHR = 11n/6 ≈ 1.83n; dgesvd uses 1.6n).
   */
  qrRatio: 11 / 6,
};
