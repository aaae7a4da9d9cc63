using System.Text;
using System.Text.Json;

namespace CoreSlice.Simulation.Json;

/// <summary>A place in an input file: 1-based line and column (in characters).</summary>
internal readonly record struct Position(string File, int Line, int Column)
{
    /// <summary>"file:line:column"; just "file" for a problem with the file as a whole (line 0).</summary>
    public override string ToString() => Line == 0 ? File : $"{File}:{Line}:{Column}";
}

/// <summary>An input file that cannot be read or understood: where, and what was expected.</summary>
internal sealed class InputException : Exception
{
    public InputException(Position at, string problem)
        : base($"{at}: {problem}")
    {
        At = at;
        Problem = problem;
    }

    public InputException()
    {
        Problem = "";
    }

    public InputException(string message)
        : base(message)
    {
        Problem = message;
    }

    public InputException(string message, Exception inner)
        : base(message, inner)
    {
        Problem = message;
    }

    /// <summary>Where the problem is.</summary>
    public Position At { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Problem { get; }
}

/// <summary>The kinds of JSON value.</summary>
internal enum JsonKind
{
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

/// <summary>
/// How the reader names the text in its own messages: "the file" for a layout, "the description"
/// for a machine description, and what the whole text should be.
/// </summary>
/// <param name="Subject">"the file", "the description".</param>
/// <param name="Document">What the text should hold ("a JSON object").</param>
/// <param name="Closing">The end of the document ("the closing '}'").</param>
internal sealed record JsonWording(string Subject, string Document, string Closing)
{
    /// <summary>The wording for an input file (layouts).</summary>
    public static JsonWording File { get; } = new("the file", "a JSON object", "the closing '}'");
}

/// <summary>
/// A JSON value that knows where it is in its file: the one position-aware JSON reader of the
/// repository (machine descriptions, layouts, the layout checker's pointers into the machine file).
/// Objects keep their members in order with the position of each member's name; duplicate names
/// are refused. Generic on purpose: each reader interprets the tree it returns.
/// </summary>
internal sealed class JNode
{
    private JNode(JsonKind kind, Position at)
    {
        Kind = kind;
        At = at;
    }

    public JsonKind Kind { get; }

    public Position At { get; }

    /// <summary>String value, or the number's text as written.</summary>
    public string Text { get; private set; } = "";

    public bool Boolean { get; private set; }

    /// <summary>Members of an object, in file order.</summary>
    public List<(string Name, Position NameAt, JNode Value)> Members { get; } = [];

    /// <summary>Items of an array.</summary>
    public List<JNode> Items { get; } = [];

    /// <summary>The member called <paramref name="name"/>, or null.</summary>
    public JNode? Member(string name)
    {
        foreach ((string n, _, JNode v) in Members)
        {
            if (n == name)
            {
                return v;
            }
        }
        return null;
    }

    /// <summary>Where the member's name is written (falls back to the object).</summary>
    public Position MemberAt(string name)
    {
        foreach ((string n, Position at, _) in Members)
        {
            if (n == name)
            {
                return at;
            }
        }
        return At;
    }

    /// <summary>"a list", "the string \"x\"", "the number 3" — for "expected …, found …".</summary>
    public string Describe() => Kind switch
    {
        JsonKind.Object => "an object",
        JsonKind.Array => "a list",
        JsonKind.String => $"the string \"{Text}\"",
        JsonKind.Number => $"the number {Text}",
        JsonKind.Boolean => Boolean ? "true" : "false",
        _ => "null",
    };

    /// <summary>Parses <paramref name="bytes"/> (comments and trailing commas allowed); malformed input is an <see cref="InputException"/>.</summary>
    public static JNode Parse(byte[] bytes, string file, JsonWording? wording = null)
    {
        JsonWording say = wording ?? JsonWording.File;
        // A byte-order mark is not part of the text: positions count from the first character after it.
        if (Utf8Input.ByteOrderMarkLength(bytes) > 0)
        {
            bytes = bytes[3..];
        }
        var lines = new LineMap(bytes, file);
        long invalid = Utf8Input.FirstInvalidByte(bytes);
        if (invalid >= 0)
        {
            throw new InputException(lines.At(invalid), $"invalid UTF-8 (byte 0x{bytes[invalid]:x2}): {say.Subject} must be UTF-8 text");
        }
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 });
        try
        {
            if (!reader.Read())
            {
                throw new InputException(lines.At(0), $"{say.Subject} is empty: expected {say.Document}");
            }
            JNode root = ReadValue(ref reader, lines, say);
            if (reader.Read())
            {
                throw new InputException(lines.At(reader.TokenStartIndex), $"unexpected content after {say.Closing}");
            }
            return root;
        }
        catch (JsonException e)
        {
            int line = (int)(e.LineNumber ?? 0);
            long lineStart = lines.LineStart(line);
            long byteIndex = lineStart + (e.BytePositionInLine ?? 0);
            string message = e.Message;
            int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            message = (cut > 0 ? message[..cut] : message).Trim();
            throw new InputException(lines.At(byteIndex), "malformed JSON: " + message);
        }
    }

    private static JNode ReadValue(ref Utf8JsonReader reader, LineMap lines, JsonWording say)
    {
        Position at = lines.At(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var node = new JNode(JsonKind.Object, at);
                while (Next(ref reader, lines, say, "a field name or '}'") != JsonTokenType.EndObject)
                {
                    string name = reader.GetString()!;
                    Position nameAt = lines.At(reader.TokenStartIndex);
                    if (node.Member(name) is not null)
                    {
                        throw new InputException(nameAt, $"field \"{name}\" appears twice");
                    }
                    Next(ref reader, lines, say, $"a value for \"{name}\"");
                    node.Members.Add((name, nameAt, ReadValue(ref reader, lines, say)));
                }
                return node;
            }
            case JsonTokenType.StartArray:
            {
                var node = new JNode(JsonKind.Array, at);
                while (Next(ref reader, lines, say, "a value or ']'") != JsonTokenType.EndArray)
                {
                    node.Items.Add(ReadValue(ref reader, lines, say));
                }
                return node;
            }
            case JsonTokenType.String:
                return new JNode(JsonKind.String, at) { Text = reader.GetString()! };
            case JsonTokenType.Number:
                return new JNode(JsonKind.Number, at) { Text = Encoding.UTF8.GetString(reader.ValueSpan) };
            case JsonTokenType.True:
            case JsonTokenType.False:
                return new JNode(JsonKind.Boolean, at) { Boolean = reader.TokenType == JsonTokenType.True };
            default:
                return new JNode(JsonKind.Null, at);
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader, LineMap lines, JsonWording say, string expected)
    {
        if (!reader.Read())
        {
            throw new InputException(lines.End, $"{say.Subject} ends early: expected {expected}");
        }
        return reader.TokenType;
    }

    /// <summary>
    /// Byte offsets to line:column, counting characters (not UTF-8 continuation bytes).
    /// The reader asks for positions in increasing order, so the column count resumes from
    /// the last position asked on the same line: linear in the file's size even when the
    /// whole file is one line, as generated JSON often is.
    /// </summary>
    private sealed class LineMap
    {
        private readonly byte[] bytes;
        private readonly string file;
        private readonly List<long> starts = [0];
        private int lastLine = -1;
        private long lastIndex;
        private int lastColumn;

        public LineMap(byte[] bytes, string file)
        {
            this.bytes = bytes;
            this.file = file;
            for (int i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    starts.Add(i + 1);
                }
            }
        }

        public Position End => At(bytes.Length);

        public long LineStart(int zeroBasedLine) => starts[Math.Clamp(zeroBasedLine, 0, starts.Count - 1)];

        public Position At(long byteIndex)
        {
            byteIndex = Math.Clamp(byteIndex, 0, bytes.Length);
            int line = starts.BinarySearch(byteIndex);
            if (line < 0)
            {
                line = ~line - 1;
            }
            bool resume = line == lastLine && byteIndex >= lastIndex;
            int column = resume ? lastColumn : 1;
            for (long i = resume ? lastIndex : starts[line]; i < byteIndex; i++)
            {
                if ((bytes[i] & 0xC0) != 0x80)
                {
                    column++;
                }
            }
            (lastLine, lastIndex, lastColumn) = (line, byteIndex, column);
            return new Position(file, line + 1, column);
        }
    }
}
