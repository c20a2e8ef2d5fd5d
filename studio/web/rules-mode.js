// Syntax colouring for .rules files (CodeMirror 5 simple mode). The words
// are the language's keywords (docs/language.md); everything else is a name.
CodeMirror.defineSimpleMode("miaopi-rules", {
  start: [
    {regex: /#.*/, token: "comment"},
    {regex: /"(?:[^\\"]|\\.)*"?/, token: "string"},
    {regex: /@\d{4}-\d{2}-\d{2}/, token: "number"},
    {regex: /\d+(?:\.\d+)?(?:\s+(?:years?|months?|days?)\b)?/, token: "number"},
    {regex: /(?:pack|version|table|from|key|def|item|basis|effective|until|mode|input|schema|let|rule|require|else|on|missing|reject|review|approve|and|or|not|in|all|any|if|then|matches|uses|licence|as|for|property|private|fixed|output|include|rules|decision|implies|online|original_check|in_person|today|true|false|null|unique|first|collect)\b/, token: "keyword"},
    {regex: /(?:bool|int|number|string|date|duration|list)\b/, token: "type"},
    {regex: /[A-Z][A-Z0-9_]+\b/, token: "variable-2"},
    {regex: /[A-Za-z_\u4e00-\u9fff][A-Za-z0-9_\u4e00-\u9fff]*/, token: "variable"},
    {regex: /[-+*\/%=<>!?]+/, token: "operator"},
    {regex: /[{}\[\]()]/, token: "bracket"},
  ],
  meta: {lineComment: "#"},
});
