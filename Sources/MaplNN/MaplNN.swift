/// Layers, losses, optimizers, data and training, built on MaplEngine. (Filled in by the nn issue.)
@_exported import MaplEngine
