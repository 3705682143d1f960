import MaplEngine

/// How each operand's gradient is made from the upstream one, for the ops whose rule is short per operand:
/// the symbols (`upstream ⊙ b`, `upstream·Wᵀ`) with the operands' own names, and — for an operand that was
/// broadcast to the node's shape (a bias added to a batch) — the gradient before it is summed back to the
/// operand's shape, so the stepper can show the sum over the batch it really is.
///
/// The engine's rules (ArithmeticOps.swift, MatmulOps.swift, Affine.swift) compute the gradients; this only
/// explains them, recomputing nothing the flow shows but the unsummed term.
enum FlowRules {
    static func explain(_ node: Variable, argument k: Int, upstream g: Tensor, names: NodeNames) -> (how: String?, unreduced: Tensor?) {
        guard let op = node.op?.name, k < node.inputs.count else { return (nil, nil) }
        let inputs = node.inputs
        let name = inputs.map { TraceNames.operand(names.name($0)) }
        let broadcast = node.usedValue(k).shape != node.shape
        func unreduced(_ make: () throws -> Tensor) -> Tensor? { broadcast ? try? make() : nil }
        switch (op, inputs.count) {
        case ("add", 2):
            return ("upstream", unreduced { g })
        case ("sub", 2):
            return k == 0 ? ("upstream", unreduced { g }) : ("−upstream", unreduced { -g })
        case ("mul", 2):
            let other = node.usedValue(1 - k)
            return ("upstream ⊙ \(name[1 - k])", unreduced { try g * other })
        case ("div", 2):
            let b = node.usedValue(1)
            return k == 0
                ? ("upstream ⊙ 1/\(name[1])", unreduced { try g / b })
                : ("upstream ⊙ (−\(name[0])/\(name[1])²)", unreduced { try Tensor.zip(try g * node.value, b) { -$0 / $1 } })
        case ("pow", 2):
            let (a, b) = (name[0], name[1])
            guard k == 0 else { return ("upstream ⊙ \(a)^\(b)·ln \(a)", nil) }
            return (b == "2" ? "upstream ⊙ 2·\(a)" : "upstream ⊙ \(b)·\(a)^(\(b)−1)", nil)
        case ("sum", 1):
            return ("upstream copied back to every summed element", nil)
        case ("mean", 1):
            return ("upstream / n, copied back to every averaged element", nil)
        case ("reshape", 1):
            return ("upstream reshaped to \(shapeString(node.usedValue(0).shape))", nil)
        case ("transpose", 1):
            return ("upstreamᵀ", nil)
        case ("matmul", 2):
            return (k == 0 ? "upstream·\(name[1])ᵀ" : "\(name[0])ᵀ·upstream", nil)
        case ("affine", _), ("affine_relu", _):
            // With relu fused in, the upstream first passes relu's mask: m = upstream ⊙ [y > 0].
            let relu = op == "affine_relu"
            let m = relu ? "m" : "upstream"
            switch k {
            case 0: return ("\(m)·\(name[1])ᵀ", nil)
            case 1: return ("\(name[0])ᵀ·\(m)", nil)
            default:
                let rows = rowsShape(node.shape)
                return ("Σ over the rows of \(m)", rows.count == 2 ? try? masked(g, output: node.value, relu: relu).reshaped(rows) : nil)
            }
        case (_, 1) where LocalFactorTable.has(op):
            return ("upstream ⊙ rule", nil)
        default:
            return (nil, nil)
        }
    }

    /// `g`, or `g ⊙ [y > 0]` after a fused relu.
    private static func masked(_ g: Tensor, output y: Tensor, relu: Bool) throws -> Tensor {
        relu ? try Tensor.zip(g, y) { y0, y1 in y1 > 0 ? y0 : 0 } : g
    }

    /// A shape as rows × last axis: affine's bias gradient sums every row.
    private static func rowsShape(_ shape: [Int]) -> [Int] {
        guard let last = shape.last, shape.count >= 2 else { return shape }
        return [shape.dropLast().reduce(1, *), last]
    }
}
