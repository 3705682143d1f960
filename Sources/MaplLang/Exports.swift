// The language emits the protocol's events and prints with the renderer's printer: its users (the runtime,
// `mapl`, the tests) see both through it.
@_exported import MaplProtocol
@_exported import MaplRender
