import MaplProtocol
import MaplRender

/// `summary(model)` as an HTML table: the header, the body cells aligned as their columns are in the
/// terminal, the notes under it.
enum TableHTML {
    static func html(_ t: TableData) -> String {
        func align(_ c: Int) -> String { c < t.alignments.count && t.alignments[c] == .right ? " style=\"text-align:right\"" : "" }
        var out = ["<table class=\"mapl-table\">", "<thead><tr>" + t.header.map { "<th>" + Markup.escape($0) + "</th>" }.joined() + "</tr></thead>", "<tbody>"]
        for row in t.rows {
            out.append("<tr>" + row.enumerated().map { "<td\(align($0))>" + Markup.escape($1) + "</td>" }.joined() + "</tr>")
        }
        out.append("</tbody></table>")
        out += t.notes.map { "<p>" + Markup.escape($0) + "</p>" }
        return out.joined(separator: "\n")
    }
}
