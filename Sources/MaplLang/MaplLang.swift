/// The mapl language: scanner, parser, interpreter and builtins. (Filled in by the language issue.)
import MaplNN
