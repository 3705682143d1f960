import CKernels
import Synchronization

/// Which stage of a model made a node: what `m(x)` was applying when an operation was recorded, so the
/// stepper can group a traced network's steps per layer (dense, relu, the loss).
///
/// A model sets one per stage application (`LayerScope.with`); every operation recorded meanwhile on the same
/// thread is stamped with it (`Variable.scope`). A stage that itself applies a model (a function calling
/// another model) opens scopes inside its own: `parent` is the enclosing one. Scopes are immutable and belong
/// to the thread that made them; reading the current one costs one thread-local load.
public final class LayerScope: Sendable {
    /// How users wrote the stage: `dense(784, 128)`, `relu`, `(h -> …)`.
    public let name: String
    /// The stage's kind: `dense`, `relu`, `conv2d`, `fn`.
    public let kind: String
    /// The stage's 0-based position in its model.
    public let index: Int
    /// The scope the stage was applied in, if any.
    public let parent: LayerScope?
    /// Unique within the process: two applications of the same layer are two scopes.
    public let id: Int

    private static let nextID = Atomic<Int>(0)

    public init(name: String, kind: String, index: Int, parent: LayerScope? = LayerScope.current) {
        self.name = name
        self.kind = kind
        self.index = index
        self.parent = parent
        self.id = LayerScope.nextID.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// The outermost scope of the chain: the stage of the top-level model.
    public var outermost: LayerScope {
        var s = self
        while let p = s.parent { s = p }
        return s
    }

    /// The names from the outermost scope down to this one.
    public var path: [String] {
        var names: [String] = []
        var s: LayerScope? = self
        while let current = s { names.append(current.name); s = current.parent }
        return names.reversed()
    }

    /// The scope operations on this thread are stamped with now, if any.
    @inline(__always)
    public static var current: LayerScope? {
        guard let pointer = mapl_get_layer_scope() else { return nil }
        return Unmanaged<LayerScope>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Runs `body` with `scope` current on this thread, then restores the previous one (also when `body` throws).
    @inline(__always)
    public static func with<T>(_ scope: LayerScope, _ body: () throws -> T) rethrows -> T {
        let previous = mapl_get_layer_scope()
        return try withExtendedLifetime(scope) {
            mapl_set_layer_scope(Unmanaged.passUnretained(scope).toOpaque())
            defer { mapl_set_layer_scope(previous) }
            return try body()
        }
    }

    /// Applies stage `index` of a model (`name`, `kind`) inside a fresh scope.
    @inline(__always)
    public static func applying<T>(_ name: @autoclosure () -> String, kind: @autoclosure () -> String, index: Int,
                                   _ body: () throws -> T) rethrows -> T {
        try with(LayerScope(name: name(), kind: kind(), index: index), body)
    }
}
