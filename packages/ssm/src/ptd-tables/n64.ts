// Written by packages/ssm/scripts/make-ptd-tables.mjs; do not edit by hand.
import type { PtdTable } from './types.js';

/** PTD perturbation for N = 64 (HiPPO-LegS of size 32). */
export const PTD_64: PtdTable = {
  N: 64,
  iterations: 296,
  converged: true,
  kappaV: 4.408834336861399,
  relPerturbation: 0.06827871469929095,
  E:
    'UwtcPoOm+D5/YRA/6IAQP/Tx9D5jw8A+U+xyPu2C9z09scE7OXqRvZP0BL7PlB++JjwwvinbJ76xfR++BvAJvldG7r14L8u9' +
    'TsywvROror1mc5u9Hdu7vc1Y570VbDG+GnV5vq9OxL4BvQ+/b1Vcv0Adn7+dmuu/BnklwMM9bcAVMvc+QuszP/nmaD+4sGs/' +
    '6IpOP8sMIT9RRdk+GslXPue8JT0uv+O9W6VLvv1Dh74cXo6+0xiRvn6Og74dC3K+zqVHvrYlNb6XOxK+8bgOvlrxA76MoiC+' +
    'my9Hvkmdlb5o99W+3Lwmv3MUd7/Z4Lu/F9wIwP8xScCcQo7AWfrKwCtHEj+HFmk/drRxP4JFhT95anU/36hEP8PACj8Rupo+' +
    'TCK1PU7PrL18LF++wTCWvlpzrL4mDq2+rwenvsgQlL46QYK+wLFbvutlQr6+Vyq+cr8wvm32QL7cqYG+t6q1vjkWCb/eQ06/' +
    'hKicv2i16r9Qgy3ApeV8wF5vtMArBQDBDYMQP/rUbT9hXoU/99FuP0XqdD+AaFU/4hgeP9h4yT6MqSk+8hrVvMdeN76kvJK+' +
    'ra2vviQSu75Ibba+0biovjuPk756pIC+g6NbvkJ0Rr5C7kO+hhpivnbij74cZc++8vcZv4DFar/klLG/FaMFwEvWRcCjnJDA' +
    'suDOwLvAEsFatPw+nMdRPxHWeT87i3Y/nMdFP+BORj8YVCg/YXvrPnULhT6VxnU9EIzRvSq/bL5AoqG+EVi2vqpuu743mrC+' +
    'T+yfvs/NiL5JbnO+qQpXvlD3Vr6ARG6+0rSavq772r58iyW/o/F5v4fyvr8JvA/AqttVwORpnMBS5ODA3YofwfI6xT56RSY/' +
    'hDJKP9X8Wj+SfUo/02sRPwlvFj9uigA/88SqPpKeJz5TAJO7s+MPvkUGgb4U5qC+6xSwvk6urr461aG+DOOPvnQefb7ZG2O+' +
    'qOJavt7Yeb5Ikp2+IYjhvruiKL/HnoC/E7PEv6PtFMBF813AIi6jwExw68DWeCfBo7aDPs3J5D55+RI/c1omPxG4MD/pUhw/' +
    'k1TDPi113j7YLsU+YPx7Phs33j2/dRW9vdIdvgHjer52oJW+EXufvqsxm77ceI6+2dB+vmH9aL4BmmC+48B1vqDQnb5dyN2+' +
    'KYAnv07bf78XbMS/32AVwIcZYMCnOKXAWpjvwK74KsGTvg0+OUGCPoNnsz5FQ+I+w6oBPzV0Cz81U+w+NRZuPk7hoT5NuJk+' +
    '/N5APmgaoj2W+kS952EUvk+VYL6/wIO+74uLvld3hL46A3e+rLlivqLIXb4/UW++K5uXvgUY1b4YpiC/zzV4v52ovr+aKBLA' +
    'iw9cwNs4o8Br6O3AqogqwcEMFD2f76Q9iq4YPqw1bz6oPqg+8ejJPmxq4T7lA7Q+LKjuPbgIZj7pjXc+gyYbPkj8hT29Kiq9' +
    'q5f2vV3wO74vIl6+1vRnvkbfXL6X51W+lcJQvktbZL7iDo6+SIPIvldsFr9wlGm/gu+0v1cyC8BSSlPA6HydwGEb58BOjCbB' +
    'HG8WveWlOr3f4228TdJmPZPnGD6Bf4I+lwmnPsiUuz4jYYk+F/e7PAv+Gj6KJ0k+j0UGPt4/hT0Y7di8Bzq5veUIE76quS6+' +
    'yiU7vqoYOL6OsUC+bJBOvowtg77GlLa+cuYJv+X4Vb+bnae/OJcBwEpARsB58pTAyMvbwNt+H8Hqzra9wTkMvpB5Ab4S9aa9' +
    'SfeyOxF+3T0WwGA+TvSTPpdmpD5k21E+LCpxvWA7tj0GGCU++QDsPRYXjz3Z/cG728ZjvcnM1r3RQgW+N48UvlSkHb4RkTm+' +
    'khVivtddo76p4PW+Yx1Av+9Cl78kcuy/mc81wCbficCh+MzAg84VwXnY5L1TJTe+Kc9HvlWGKr4GOdS96P4OvPyRzT1g7FU+' +
    'j2qLPiXnlD7H5xs+oHEGvpdH9jwmMwI+0hPQPdOcnD3bMms8nXvBvJ/Si70l4r29jNXvvXGzEb6/IkW+lCaJvmMN1743Oyi/' +
    'NpSFv6cu0r/PVyPA4Y55wCNwu8ClCQrBKKnwvao9SL5g6WK+bm1bvvSZK765W8C95v0DPBCA7j2n22E+EYyLPvAEjD6Qr9Y9' +
    'WrpUvvg06ryufLw9Ape1PUSxoj3XGQc9Rj+EOwScFr1gaoa9cqjNvfQ8Fr48Cme+TBGyvhqEEL8DnmW/Pwe3v6RlD8CmaV3A' +
    '37qnwP6c+cCnRue9Z+A9vs4yYb7s92K+OohJvgRYD74z73O9ypU2PY/DGD5cS3o+INqOPloygz5WC2Q9H3iPvml9vr31n149' +
    'VA6MPZFjpT0s6UY9OjPhPFj8dLwFTUC9JbfIvTvNLL6zIJG+rrLsvrIkQr+6AZu/mzf2v4flP8CgBZPA2/LcwJecw73RUyW+' +
    'EQ9HvpehUr4YxUW+ks4fvi8NuL06+/a7ZpLGPTKARj46UYw+ZyyUPgEvdT7mBv06Bfa6vrpkJr4uiiA8aRpBPRXMnj2amnc9' +
    'w2M2Pbt7hDpZICu917nlvWdYWL4fC72+dYodv2bjgL9R082/W8EiwBf8e8Cznb/ArCybvQunAr4t/iC+f9wsvrFVK747MxG+' +
    'brTIvTYs7bzjcFo9xyIbPsgneD65Up0+EICZPjX1YT6QzWm960Xqvtomdr7AhSG9PxXDPJTvlj3A3Ik9rTxfPVuv+zsWXkC9' +
    'rWcRvmfajL7KcPi+t9NOv5qYqL94RwbAcxlTwGhyosAs9Fy9afbEvYlO7b1orwK+v2T/vcJT5b3R8aK9sEYHvWoIHT1OafY9' +
    'Do9ZPnhhlD7Gzaw+EEGcPmJkSj5sifq9N6kNvx+Xpb51KLq9pFHzuhewij1ftJQ9kFF5PVAwjztpjoe9+rNBvjlhub71YSG/' +
    'xX2Fv63G2L/1PyzAaKCGwAlRGb33T3m9hrObvTpgq72Lh6i9bGWRvZy3TL3JS3K8NVsTPU2r3T3txTw+e22KPstXqz7JBbs+' +
    'ShSePslXLj6+Pka+Xdwnv5IF0L4rqRC+FF7UvJMogj1vy5s9jA58PUDTAbw/t8u9u/eBvklv8L6oAE6/nNCpv/48CcAxWFnA' +
    'piqXvERGC72ejyC9JDoqvZFIGr2l1gO9bKeGvPrKPDyRdE89fjzPPa+LLz55YHw++pylPmyTwD63dsc+sTCfPl6yDz5pGIe+' +
    'I/RBvz4s+r67az2+2BozvSMYez3fi549z1BePXKa+LwKXhe+SDyrvgaXGL+/SIG/IGPUv+AkK8CF1fW7V8wRvB1aLryXmMW7' +
    'eztsu4xUDDwNOZs8xX0ZPbyjiz3jON89uxYkPgSVaj5j0Zk+OUC+PpZr0z6UFtM+6R2fPhme5T3VLKq+UA1av1p8D79OhmC+' +
    'NCBavb3zgT37Fp49xCsdPcAzhr0Ayle+X8DbvqdlPr+2BKC/fxwDwJT25Tuh/SQ8ial8PBTKnzzUyeM8UYUSPfQMQT3F44M9' +
    '1cOuPYSJ8D0wKyM+F0xYPibtjT79BLE+ezfTPkjK4z69Ad4++5egPpdJuT37g8e+a6lvv8BBHr8EkXS+F9JLvfCtiz0gTpM9' +
    'WrBDPMPi8L0RDpO+JxgKvy6Car92GcS/Pep0PDXB2zxHEgo9SgMqPfcsRz2F0XE9vWKOPXgnqj3yX8492hz5PTuYHz5C00o+' +
    'cTqAPgREoj4CH8Q+5kjkPqb18j5ZVuk+fxulPuBkoj1/v92+HAaAv1evJ79DonK+fzoLvZ7Vnj1uUmQ9q3L/vMtaP75oC8K+' +
    'C8ErvyjOj79Ft6088rMWPWqKST1Ri2c9WAmMPVqrlz3s5rA946bCPaRu3j1xcAI+vY8YPr8YOj45l2Y+9KGOPu5hsD4Gq9I+' +
    't9vyPsh1AD9FwvU+45qtPh4pqz2Pxui+8cOEv2RwKb9D8li+QMnzu88BqD1FJrs8R5vOvUvCjr5rEf2+dHtWvyHN2jwEfEM9' +
    '8jNyPba+kj0AIp89nI+wPc4qvT3v6NM9M9vjPQ82/T1zVRE+8XknPr71SD4X83Y+lMmWPuOKuT7fgNw+Bcr+PteOBj/aGAI/' +
    'CMK8PkbS4D2cIuS+8w+Fv/X6Ib9SWiK+BczkPAcqiz1rMzm9rWVTvqPazr6S+Sa/Cc4GPTh4YT1TApQ9bTemPUM0uD0e7cI9' +
    'TwLNPQyV1j13ZeE9Gy3yPZzhAj4SqRQ+RvApPvIFSz7y33o+ghCaPo0WvT6VauE+PVUDP9iCDD9aAwo/vwXSPrCZIj62/sy+' +
    '9qR+v6AhD79YOqC9vRJnPcivYTx1FDO+ReW8vkKtFr9T3BM9qXKBPcyInj2VorY9HSrFPWcG0j2gLNU9M1zXPYyJ3D3RmeA9' +
    'Q8frPYP++T3vfg0+GLMjPq5YRD7aunQ+DbuXPuUqvD7iJ+I+Zd0EP+fgED9o5RI/dHHtPp0wcj5b1p6+bwVlv0oZ375BSJk8' +
    '0WtEPR07A76f+s2+RvIgvwm+Ij1DKIY9wcasPSizwT1A/c89UeDRPYak1z1WzdA9dJ/PPcc9zz13zs49ayDVPSD94z3Wvf89' +
    'etMWPr8KNz5nemY+qh+RPphWtj46td0+7hQEP+FjEj94dxo/P58GPwCRrj5smy6+cr06vzOUhL5QfNc98SGKvQ303L7U2km/' +
    'gzcWPdoOfz1Eq5w9zwG1PcfswD0Acsk9Z9THPYQRxz1Y7bs9olC0PdzusT2UebM9joe4PdpnyD19auM9wwgJPuesKT56dVc+' +
    'OUyIPtAvrD7qR9I+HpL+PgbGDz+rJR0/edEUP2077T7DWbg895D6vjBrKr0h99g9rInWvq03gr+5aOc8i3w7PTgEaz1Y0YQ9' +
    'H5SOPfnalT2+tpc93BCWPbIDmj2Zm5M9jISRPVoylT0biJU9uZKhPVRStj2VGNI9bIcBPgyBIT7Gh0w+wmN/Pvatnz52M8A+' +
    'r/7nPh4bBD80ZRU/lmMZPxqJEz8dEYQ+wHkfvvYbQz6l1Ry+4Aagv2jUB7ql2zs77PmTOxXpEDzjr1E8fyKfPPk2xDwC2/o8' +
    'lgYVPc6bLT3eakQ9zA1dPSFKgj0ZI5A9csujPQXJwD1WkuE9jWkHPi3NIz71Zkk+yuBwPqhEkD7iXKY+Wvu/Po7/0T6ZVu4+' +
    'sU4CP+0tGj/7pQE/fRSgPk2msj4lCZO/wuEdvVQyjL2eaKq9792+vcE9vb0rXbW9DvmXva4ycb03zRi98WCEvObTCDy+SPw8' +
    'bypQPRLplD2AcLs97CLfPbFEAD7rLRA+5YgkPqtGNj6TpE8+q2NiPlFTdz53U3s+U215PltfVD61BEA+shU8Pu2QvD4V9C4/' +
    '5VCgPwF6VjtI5fq9Fn9QvuYif762W4u+EdmOvkAsir4H3n6+BGFbvpAyMr4vGfu97UKSvQXzkby8kRI9RrCpPfOj/z1JAyI+' +
    '9tI7PtggTj53N1c+PcJdPoW+XD7MzVo+rCJLPtFCMT5b4uo9qhSXPEzpG76zCL++3c4fvxUmGr9POrQ+B4+kQA==',
};
