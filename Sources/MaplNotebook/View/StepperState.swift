import MaplProtocol
import MaplRender

/// The interactive stepper over a `trace(x)`: which step is shown, in which view, and what a quiz has revealed.
/// Plain data: the terminal layer calls its methods on keys and `StepperPane` draws it, so tests can walk a
/// trace without a terminal.
///
/// The walk is `trace.all` — forward steps, then backward steps. In the **layer view** (traces through a
/// model) the unit is a layer: `next` and `previous` move layer by layer, `toggleExpand` opens the current
/// layer into its ops (then `next` walks them and leaves the layer after its last op). In a **quiz** the
/// numbers a step asks for (outputs, local derivatives, flowing gradients) stay hidden until `reveal`.
public struct StepperState: Sendable {
    /// The trace and its lookups (node → steps, layer groups, gradient knowledge per step).
    public let index: TraceIndex
    /// Decimals the numbers are printed with (the session's `precision`).
    public let precision: Int
    /// The session's `show_limit`, when set: values up to that many elements show as grids.
    public let showLimit: Int?
    /// Numbers hidden until revealed.
    public let quiz: Bool
    /// The step shown, an index into `trace.all`.
    public private(set) var step = 0
    /// The DAG drawn with the current node highlighted, instead of the step's numbers.
    public private(set) var showGraph = false
    /// Steps grouped per layer (only for traces through a model).
    public private(set) var layerView = false
    /// In the layer view, the layer opened into its ops (an index into `index.groups`).
    public private(set) var expandedGroup: Int?
    /// A one-line answer to the last key when it could not do what it says ("no backward pass: …").
    public private(set) var message: String?
    /// Quiz: what has been revealed (step indices; `-1 - g` for group `g` in the layer view).
    private var revealed = Set<Int>()
    /// The rows last drawn, shared by copies (its key holds everything they depend on).
    let drawn = LastResult<StepperPane.DrawKey, [StyledRow]>()

    /// Opens on the first step — in the layer view when the trace went through a model.
    public init(_ data: TraceData, quiz: Bool = false) {
        index = TraceIndex(data.steps)
        precision = data.precision
        showLimit = data.showLimit
        self.quiz = quiz
        layerView = index.hasLayers
    }

    public var trace: TraceSteps { index.trace }
    /// The step shown, nil for an empty trace.
    public var current: TraceStep? { trace.step(step) }
    public var phase: TraceStep.Phase { step < trace.forward.count ? .forward : .backward }
    /// The step's 1-based place in its pass, and the pass's length.
    public var position: (index: Int, total: Int) {
        phase == .forward ? (step + 1, trace.forward.count) : (step - trace.forward.count + 1, trace.backward.count)
    }
    /// The layer holding the current step (an index into `index.groups`), in the layer view.
    public var currentGroup: Int? { layerView ? index.group(ofStep: step) : nil }
    /// True when the layer view shows one layer as a whole (not expanded into its ops).
    public var showsWholeLayer: Bool { currentGroup != nil && expandedGroup != currentGroup }
    /// Whether the shown step's (or layer's) numbers are visible: always outside a quiz.
    public var isRevealed: Bool { !quiz || revealed.contains(revealKey) }

    /// The printer the numbers use.
    public var printer: Printer {
        var p = Printer()
        p.precision = precision
        p.showLimit = showLimit
        return p
    }

    /// `trace(L) ─ backward 3/7`, and in the layer view `trace(L) ─ backward ─ layer 2/4 dense(128, 10)`.
    public func title(_ glyphs: Glyphs) -> String {
        let dash = " \(glyphs.horizontal) "
        // An unnamed traced expression is titled with its text, clipped so the step and layer still show.
        let root = trace.root.count > 12 ? String(trace.root.prefix(11)) + glyphs.ellipsis : trace.root
        guard trace.count > 0 else { return "trace(\(root))" }
        var text = "trace(\(root))" + dash + phase.rawValue
        if let g = currentGroup {
            let groups = index.groups.enumerated().filter { $0.element.phase == phase }
            let k = (groups.firstIndex { $0.offset == g } ?? 0) + 1
            text += dash + "layer \(k)/\(groups.count) " + index.groups[g].name
            if expandedGroup == g {
                let range = index.groups[g].steps
                text += dash + "op \(step - range.lowerBound + 1)/\(range.count)"
            }
        } else {
            text += " \(position.index)/\(position.total)"
        }
        if quiz { text += dash + (isRevealed ? "quiz, revealed" : "quiz") }
        return text
    }

    // MARK: - Keys

    /// The next step (or layer; in an opened layer, its next op).
    public mutating func next() {
        message = nil
        if let g = currentGroup {
            let range = index.groups[g].steps
            if expandedGroup == g && step + 1 < range.upperBound { step += 1; return }
            guard g + 1 < index.groups.count else { message = "the last layer: p goes back"; return }
            expandedGroup = nil
            step = index.groups[g + 1].steps.lowerBound
            return
        }
        guard step + 1 < trace.count else { message = "the last step: p goes back"; return }
        step += 1
    }

    /// The previous step (or layer; in an opened layer, its previous op).
    public mutating func previous() {
        message = nil
        if let g = currentGroup {
            let range = index.groups[g].steps
            if expandedGroup == g && step > range.lowerBound { step -= 1; return }
            guard g > 0 else { message = "the first layer"; return }
            expandedGroup = nil
            step = index.groups[g - 1].steps.lowerBound
            return
        }
        guard step > 0 else { message = "the first step"; return }
        step -= 1
    }

    /// The first step of the forward pass.
    public mutating func first() {
        message = nil
        expandedGroup = nil
        step = 0
    }

    /// The last step (in the layer view, the last layer).
    public mutating func last() {
        message = nil
        expandedGroup = nil
        guard trace.count > 0 else { return }
        step = layerView ? (index.groups.last?.steps.lowerBound ?? trace.count - 1) : trace.count - 1
    }

    /// The first step of the backward pass; when there is none, `message` says why.
    public mutating func jumpToBackward() {
        message = nil
        guard !trace.backward.isEmpty else {
            message = trace.note ?? "no backward pass"
            return
        }
        expandedGroup = nil
        step = trace.forward.count
    }

    /// Shows or hides the graph view.
    public mutating func toggleGraph() {
        message = nil
        showGraph.toggle()
    }

    /// Switches between the layer view and the op-by-op view (only for traces through a model). The step
    /// stays: leaving the layer view shows the op it was on, entering it shows that op's layer.
    public mutating func toggleLayers() {
        message = nil
        guard index.hasLayers else { message = "no layers: this trace did not go through a model"; return }
        layerView.toggle()
        expandedGroup = nil
    }

    /// In the layer view, opens the current layer into its ops (from its first op), or closes it again.
    public mutating func toggleExpand() {
        message = nil
        guard let g = currentGroup else {
            message = index.hasLayers ? "l shows the layers first" : "no layers: this trace did not go through a model"
            return
        }
        if expandedGroup == g {
            expandedGroup = nil
        } else {
            expandedGroup = g
            step = index.groups[g].steps.lowerBound
        }
    }

    /// Quiz: shows the numbers of the current step (or layer).
    public mutating func reveal() {
        message = nil
        guard quiz else { return }
        revealed.insert(revealKey)
    }

    private var revealKey: Int { showsWholeLayer ? -1 - (currentGroup ?? 0) : step }
}
