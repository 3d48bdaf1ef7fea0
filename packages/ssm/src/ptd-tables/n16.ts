// Written by packages/ssm/scripts/make-ptd-tables.mjs; do not edit by hand.
import type { PtdTable } from './types.js';

/** PTD perturbation for N = 16 (HiPPO-LegS of size 8). */
export const PTD_16: PtdTable = {
  N: 16,
  iterations: 216,
  converged: true,
  kappaV: 1.9859050696645686,
  relPerturbation: 0.20801941827971773,
  E:
    'qNJrPByVDL5tr3E+WXUxvjhmOT6MX2U+1pycP/dXKUBa5oY+qz9QPfyCUL1yjhU9Q0ucvaULDT894NA/3a2MQAtYgb21SBU+' +
    '5tawvNHe372vWBO7QkyaPriC2D+k0Y9AboSIPuK0uD0dWOc9JXXdve6QBr5aMRM+c4SPPyJad0DNtnA9Wiq0PvpGfj7DUyg+' +
    'ud7FvWHSo73aEAQ/CTYeQAsmqD4cZaQ+egEKP3qk6T6WEJY+fgB7vffw1zw7Eos/ALHNPVax7D7u/AM/0OQ9P1GXLj+SUNo+' +
    'FUkOvdfC7j0Do4c9Uwg7PIp3mj6E6v4+UUNJP59rSD/pgu8+N5qDPg==',
};
