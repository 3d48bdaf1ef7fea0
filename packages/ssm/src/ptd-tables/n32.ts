// Written by packages/ssm/scripts/make-ptd-tables.mjs; do not edit by hand.
import type { PtdTable } from './types.js';

/** PTD perturbation for N = 32 (HiPPO-LegS of size 16). */
export const PTD_32: PtdTable = {
  N: 32,
  iterations: 500,
  converged: false,
  kappaV: 2.94666994488428,
  relPerturbation: 0.11743198129245469,
  E:
    'nkjXPboq870TfQM/Qe1IPuoxvT1xIBE+moQZvvss9TyLg42+wp6MusQ2ub7eUDS+GkQ2v1a+bL9XIvu/VCg+wDUOCT+uf7U+' +
    'aQdtPn14ED91Ilk9ZyBNPtPMSr7dkm+9sH6kvgwjO76so8u+2H0HvyVZe7/OIOi/bKNGwJ4TqcAj2RE+2aMaPyNEsD6p/4k+' +
    'xHS7Prt6q7wdumQ9DcyMvpiJy712LdC+VG+HvvpgPr+VLIa/8s4NwOuPbMBa3MzAr+6XPpkFRT77quE+TUxpPr3EFT4wvDc+' +
    '7lCevXdvI72Wdn++xdMovodB5r5xuwW/6Lygv9eJB8AD/YLAPbjYwIMjaz477d8+BU1dPiPOhj56Ly49hCkCPe3zET3Dtry9' +
    'Dbudvc6ndr5e9Iu+aSkXv6LogL9Yaw3AlX94wCy33sDQqBw9zOevPDHfjj7OFz8+AMcJPhJSdb1BVz29NCyVPIbZo70NXXm9' +
    'ls17vtOsxr6zr2m/zRrpv2InaMCC1MzAtogBPlpSJz7vi7o8pb03PrAJCj4psJM9IlEwvjpmpL1MZRG9QRmYvd9cvL3CpKS+' +
    'vysmvwQSwr//o0PA3ZC3wNJzc70eXqK9ZcMRPmrppD2HSUQ+87dIPvW3Oj2mx2K+2EsAvgQyF70fRcK9hpcEvp3G8r70cIW/' +
    'B1QawCfElcAj/bg9JX2MPaQmG70ZTD0+CiQhPozKfj4x6EM+jfXrPDSijr45oja+xvidvQ8f4b1Bq3a+nQQ+vz+P17/fVmnA' +
    'aAaivdZCqbz6Gyc+zT66PZ7vhz6y4I0+MnSxPkzagT4z76w87SO8voz2cr7i4eG9XDgTvhwbwr7vXJG/258iwE2+Gj6ACcc9' +
    'WmUDPTytgD7JPEg+xZ3EPk5Ptz6XmNc+PIyRPqF5HTwESuO+7IeNvgEHGL6Bfli+zXMovz3937+3hRy9YR6kPXSaXT6MWgo+' +
    'GhegPkfOnz4NVOs+l9nlPgchAD/GOak+H9MKvOGt3r5WZXu+FiAMviXMqr6lq4y/kgwiPksCmD0KOlk9YwqGPnqEQj4rmLo+' +
    'kn24Pk8tBz/Ozf0+bREOP1Ciyz4j/XU9sHzAvmAXKr4ktUu+F9tQv7NnC72l8+s91hUePkAwWT2dmGY+Ir1CPhSFsT7Zk8c+' +
    'ke0KP6lfET+s2Rs/bin7PiUdUz4U4Fm+wmeXvVX4H79WnOM9iRkpvXHbq7ufBw4+bskSuxEWSz5LwAM+WPyoPvIkqj4YaAk/' +
    'MPoOP7+3HD/b9gg/dHCrPt9ENz3k34e+1xkEvtt65bzuqHu9vwEAviQUnTzgQTq91LIDPqKH5T1xu5Q+dPqXPoSG2z7Tys0+' +
    'GfWoPoKGTj4hGGk+1cS5Pw==',
};
