/// A tensor laid out as a grid for a screen: one matrix row a line, every number of the tensor written
/// with the same decimals (so right-aligned columns line up on the decimal point), each cell tagged with
/// its sign so a front end can colour negatives apart from positives.
///
///      0.1250  -1.5000   2.0000
///     -0.0625   0.0000  12.2500
///
/// A vector is one row; a tensor of rank 3 or more is its matrices one after another, each under a label
/// (`[1, :, :]`). Rows beyond `maxRows` are elided in the middle (a `⋮` line); columns that do not fit a
/// width are elided in the middle at draw time (`line(_:width:ascii:)`), never wrapped.
public final class MatrixGrid: Sendable {
    /// What a line of the grid is.
    public enum Line: Sendable, Equatable {
        /// Matrix row `row` (an index into the kept rows).
        case row(Int)
        /// The label of a matrix of a rank ≥ 3 tensor: `[1, :, :]`.
        case label(String)
        /// Rows left out.
        case elided(Int)
    }

    /// One run of a drawn line.
    public struct Piece: Sendable, Equatable {
        public enum Kind: Sendable, Equatable { case negative, positive, zero, gap }
        public var text: String
        public var kind: Kind
    }

    public let lines: [Line]
    public let shape: [Int]
    /// The matrix's columns (the last axis; 1 for a scalar).
    public let columns: Int
    /// The decimals and the row limit it was made with: with `shape` and the values, all it takes to make it again.
    public let precision: Int
    public let maxRows: Int
    private let cells: [[String]]
    private let signs: [[Piece.Kind]]
    private let widths: [Int]
    /// Columns between cells.
    static let gap = 2

    /// The grid of `values` (row-major, of `shape`) with `precision` decimals, keeping at most `maxRows`
    /// matrix rows in all (the first and last halves).
    public init(shape: [Int], values: [Float], precision: Int, maxRows: Int = .max) {
        self.shape = shape
        self.precision = precision
        self.maxRows = maxRows
        let columns = shape.last ?? 1
        self.columns = columns
        let rowCount = columns == 0 ? 0 : values.count / columns
        let rowsPerMatrix = shape.count >= 2 ? shape[shape.count - 2] : 1
        let keep = Swift.max(maxRows, 2)
        let kept: [Int?] = rowCount <= keep ? Array(0..<rowCount)
            : Array(0..<(keep / 2)) + [nil] + Array((rowCount - (keep - keep / 2))..<rowCount)
        let shownValues = kept.compactMap { $0 }.flatMap { r in values[(r * columns)..<((r + 1) * columns)] }
        let style = ElementStyle(shownValues, precision: precision)

        var lines: [Line] = [], cells: [[String]] = [], signs: [[Piece.Kind]] = []
        var widths = Array(repeating: 1, count: columns)
        var lastMatrix = -1
        for r in kept {
            guard let r else { lines.append(.elided(rowCount - (keep))); continue }
            let matrix = r / Swift.max(rowsPerMatrix, 1)
            if shape.count >= 3, matrix != lastMatrix {
                lines.append(.label(MatrixGrid.label(matrix, shape: shape)))
            }
            lastMatrix = matrix
            let row = Array(values[(r * columns)..<((r + 1) * columns)])
            let texts = row.map(style.format)
            for (c, t) in texts.enumerated() { widths[c] = Swift.max(widths[c], t.count) }
            lines.append(.row(cells.count))
            cells.append(texts)
            signs.append(row.map { $0 < 0 ? .negative : ($0 > 0 ? .positive : .zero) })
        }
        self.lines = lines
        self.cells = cells
        self.signs = signs
        self.widths = widths
    }

    /// `[i, j, :, :]` for matrix `k` of a tensor of `shape`.
    static func label(_ k: Int, shape: [Int]) -> String {
        var index: [Int] = [], rest = k
        for n in shape.dropLast(2).reversed() {
            index.insert(rest % Swift.max(n, 1), at: 0)
            rest /= Swift.max(n, 1)
        }
        return "[" + (index.map(String.init) + [":", ":"]).joined(separator: ", ") + "]"
    }

    /// Columns a row takes with every column shown.
    public var fullWidth: Int { widths.reduce(0, +) + MatrixGrid.gap * Swift.max(columns - 1, 0) }

    /// Which columns are drawn at `width`: all when they fit, else as many from the left and from the right
    /// as fit around a `…` column (at least one each side); nil in the list marks the elision.
    public func shownColumns(width: Int, ascii: Bool) -> [Int?] {
        if fullWidth <= width || columns <= 2 { return Array(0..<columns).map(Optional.some) }
        let mark = ascii ? 3 : 1
        var left = 1, right = 1
        func used(_ l: Int, _ r: Int) -> Int {
            widths.prefix(l).reduce(0, +) + widths.suffix(r).reduce(0, +) + mark + MatrixGrid.gap * (l + r)
        }
        // Add columns alternately from the left and the right while they fit.
        while left + right < columns - 1 {
            if left <= right, used(left + 1, right) <= width { left += 1 }
            else if used(left, right + 1) <= width { right += 1 }
            else if used(left + 1, right) <= width { left += 1 }
            else { break }
        }
        return Array(0..<left).map(Optional.some) + [nil] + Array((columns - right)..<columns).map(Optional.some)
    }

    /// Line `k` drawn in at most `width` columns (beyond the narrowest elision it is clipped by the caller).
    public func line(_ k: Int, width: Int, ascii: Bool) -> [Piece] {
        let ellipsis = ascii ? "..." : "…"
        switch lines[k] {
        case .label(let text): return [Piece(text: text, kind: .gap)]
        case .elided(let n): return [Piece(text: (ascii ? ":" : "⋮") + " \(n) more row\(n == 1 ? "" : "s")", kind: .gap)]
        case .row(let r):
            var pieces: [Piece] = []
            for (i, c) in shownColumns(width: width, ascii: ascii).enumerated() {
                if i > 0 { pieces.append(Piece(text: String(repeating: " ", count: MatrixGrid.gap), kind: .gap)) }
                guard let c else { pieces.append(Piece(text: ellipsis, kind: .gap)); continue }
                let text = cells[r][c]
                pieces.append(Piece(text: String(repeating: " ", count: widths[c] - text.count) + text, kind: signs[r][c]))
            }
            return pieces
        }
    }

    /// Line `k` as plain text.
    public func text(_ k: Int, width: Int = .max, ascii: Bool = false) -> String {
        line(k, width: width, ascii: ascii).map(\.text).joined()
    }
}
