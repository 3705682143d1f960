import MaplEngine

extension OpCatalog {
    /// The ops MaplNN records itself (its other layers are built from the engine's ops), each declared beside
    /// its forward and backward.
    public static let nn: [OpInfo] = [
        Variable.affineOp, Variable.affineReluOp,                       // Affine.swift
        Variable.batchNormOp, Variable.batchNormRunningOp,              // BatchNorm.swift
        Dropout.dropoutOp(mask: Tensor([2, 0])),                               // Dropout.swift
        Regularization.l1Op, Regularization.l2Op,                       // Penalties.swift
    ]
}
