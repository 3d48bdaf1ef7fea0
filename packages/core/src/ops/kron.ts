import { allocate } from '../dtype.js';
import { InvalidArgumentError } from '../errors.js';
import { asMatrix, Matrix } from '../matrix.js';

/**
 * Dense Kronecker product A ⊗ B: the (m_A·m_B)×(n_A·n_B) block matrix whose block
 * (i, j) is a_ij·B, so (A ⊗ B)[i·m_B + k, j·n_B + l] = a_ij·b_kl (numpy `kron`). To apply
 * a Kronecker product without forming it, use {@link kroneckerOperator}.
 *
 * @param A an m_A×n_A matrix (any strides)
 * @param B an m_B×n_B matrix (any strides)
 * @returns a new Matrix, float32 only if both inputs are float32
 * @throws {InvalidArgumentError} if an input is not a matrix or the result would exceed 2³¹ − 1 elements
 * @example kron(eye(2), B) // block-diagonal diag(B, B)
 */
export function kron(A: Matrix, B: Matrix): Matrix {
  const a = asMatrix('A', A);
  const b = asMatrix('B', B);
  const rows = a.rows * b.rows;
  const cols = a.cols * b.cols;
  if (rows * cols > 2147483647) {
    throw new InvalidArgumentError(
      `kron: the product would be ${rows}×${cols}, more than 2³¹ − 1 elements`,
    );
  }
  const dtype = a.dtype === 'float32' && b.dtype === 'float32' ? 'float32' : 'float64';
  const out = allocate(dtype, rows * cols);
  const bc = b.contiguous();
  const bd = bc.data;
  const bo = bc.offset;
  const mb = b.rows;
  const nb = b.cols;
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < mb; k++) {
      const rowBase = (i * mb + k) * cols;
      const bRow = bo + k * nb;
      for (let j = 0; j < a.cols; j++) {
        const s = a.get(i, j);
        const base = rowBase + j * nb;
        for (let l = 0; l < nb; l++) out[base + l] = s * bd[bRow + l]!;
      }
    }
  }
  return new Matrix(out, rows, cols);
}
