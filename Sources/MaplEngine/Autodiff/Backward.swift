/// One step of a backward pass, as the stepper shows it: the node, the gradient arriving from above,
/// and the gradients its rule sends to each input.
public struct BackwardStep {
    public let node: Variable
    public let upstream: Tensor
    public let inputGradients: [Tensor?]
}

extension Variable {
    /// Every node that `self` depends on through nodes requiring gradients, inputs before the nodes that use
    /// them. Iterative, so graphs thousands of nodes deep (long RNN unrolls) cannot overflow the stack.
    public func topologicalOrder() -> [Variable] {
        var order: [Variable] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(node: Variable, next: Int)] = [(self, 0)]
        visited.insert(ObjectIdentifier(self))
        while let (node, next) = stack.last {
            if next < node.inputs.count {
                stack[stack.count - 1].next += 1
                let child = node.inputs[next]
                if visited.insert(ObjectIdentifier(child)).inserted { stack.append((child, 0)) }
            } else {
                order.append(node)
                stack.removeLast()
            }
        }
        return order
    }

    /// Reverse-mode differentiation from this value. With no `seed` the value must hold one element
    /// (a loss); the gradient is **added** into `grad` of every parameter it reaches.
    ///
    /// The graph is released afterwards (its saved tensors freed) unless `retainGraph`; its structure
    /// stays inspectable. `observer` sees every step, in the order they run, for the stepper.
    public func backward(seed: Tensor? = nil, retainGraph: Bool = false,
                         observer: ((BackwardStep) -> Void)? = nil) throws {
        let start: Tensor
        if let seed {
            guard seed.shape == shape else {
                throw TensorError("backward seed of shape \(shapeString(seed.shape)) does not match the value's shape \(shapeString(shape))")
            }
            start = seed
        } else {
            guard value.count == 1 else {
                throw TensorError("backward needs a scalar (one-element) value such as a loss, got shape \(shapeString(shape)); reduce it first, e.g. with sum or mean")
            }
            start = Tensor(repeating: 1, shape: shape)
        }
        guard requiresGrad else {
            throw TensorError("backward: this value does not depend on any parameter (make inputs trainable with param(...))")
        }
        let order = topologicalOrder()
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): start]
        for node in order.reversed() {
            guard let upstream = pending.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            if node.isLeaf {
                if node.requiresGrad {
                    guard upstream.shape == node.shape else {
                        throw TensorError("\(node.label ?? "a parameter") has shape \(shapeString(node.shape)) now, but this value was computed when it had shape \(shapeString(upstream.shape)); compute the value again")
                    }
                    if var sum = node.grad { node.grad = nil; try sum.add(upstream); node.grad = sum } else { node.grad = upstream }
                }
                observer?(BackwardStep(node: node, upstream: upstream, inputGradients: []))
                continue
            }
            let grads = try node.localGradients(upstream)
            observer?(BackwardStep(node: node, upstream: upstream, inputGradients: grads))
            for (input, g) in zip(node.inputs, grads) where input.requiresGrad {
                guard let g else { continue }
                let key = ObjectIdentifier(input)
                if var sum = pending.removeValue(forKey: key) { try sum.add(g); pending[key] = sum } else { pending[key] = g }
            }
        }
        if !retainGraph { for node in order where !node.isLeaf { node.release() } }
    }
}
