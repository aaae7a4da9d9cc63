using System.Runtime.InteropServices;

namespace CoreSlice.Proofs;

/// <summary>
/// The whole binding to the native Z3 library (libz3.so.4, C API in z3_api.h).
/// Only the SMT-LIB2 text interface is used, so swapping in the Microsoft.Z3
/// package (or another solver) is a change to this one file.
/// </summary>
public static partial class Z3Native
{
    private const string Lib = "libz3.so.4";

    [LibraryImport(Lib, EntryPoint = "Z3_mk_config")]
    private static partial IntPtr MkConfig();

    [LibraryImport(Lib, EntryPoint = "Z3_del_config")]
    private static partial void DelConfig(IntPtr cfg);

    [LibraryImport(Lib, EntryPoint = "Z3_set_param_value", StringMarshalling = StringMarshalling.Utf8)]
    private static partial void SetParamValue(IntPtr cfg, string id, string value);

    [LibraryImport(Lib, EntryPoint = "Z3_mk_context_rc")]
    private static partial IntPtr MkContextRc(IntPtr cfg);

    [LibraryImport(Lib, EntryPoint = "Z3_del_context")]
    private static partial void DelContext(IntPtr ctx);

    [LibraryImport(Lib, EntryPoint = "Z3_set_error_handler")]
    private static partial void SetErrorHandler(IntPtr ctx, IntPtr handler);

    [LibraryImport(Lib, EntryPoint = "Z3_get_error_code")]
    private static partial int GetErrorCode(IntPtr ctx);

    [LibraryImport(Lib, EntryPoint = "Z3_eval_smtlib2_string", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr EvalSmtlib2String(IntPtr ctx, string text);

    [LibraryImport(Lib, EntryPoint = "Z3_interrupt")]
    private static partial void Interrupt(IntPtr ctx);

    /// <summary>Grace after the solver's own timeout before the query is interrupted from outside.</summary>
    public const int InterruptGraceMs = 2_000;

    [LibraryImport(Lib, EntryPoint = "Z3_get_full_version")]
    private static partial IntPtr GetFullVersion();

    /// <summary>Z3's version string, or null when libz3 cannot be loaded.</summary>
    public static string? TryVersion()
    {
        try
        {
            return Marshal.PtrToStringUTF8(GetFullVersion());
        }
        catch (DllNotFoundException)
        {
            return null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Runs an SMT-LIB2 script in a fresh context (one per call: contexts are not
    /// shared between threads) and returns everything the script printed.
    /// </summary>
    public static string Eval(string script, int timeoutMs)
    {
        using var session = new Session(timeoutMs);
        return session.Eval(script, timeoutMs);
    }

    /// <summary>
    /// The <c>set-option</c>s a script may run. In Z3 4.8.12 every other option (<c>:smt.relevancy</c>, a random
    /// seed, ...) is a process-wide parameter: one context's <c>set-option</c> changes every context created after
    /// it, in every thread (measured: <c>:smt.relevancy 0</c> set in one context made
    /// <c>lemma/Lemma_CreateOk_WaysFree</c> in a later one go from 0.4 s proved to unknown at 120 s). The
    /// timeout is process-wide too, but every script sets its own before it asks anything (a session sets it
    /// as it starts), so what another thread left there bounds nothing.
    /// </summary>
    public static readonly IReadOnlyList<string> ContextOptions = [":produce-models", ":timeout"];

    /// <summary>The first <c>set-option</c> of <paramref name="script"/> not in <see cref="ContextOptions"/>, or null.</summary>
    public static string? ProcessWideOption(string script)
    {
        const string command = "(set-option";
        for (int at = script.IndexOf(command, StringComparison.Ordinal); at >= 0; at = script.IndexOf(command, at + 1, StringComparison.Ordinal))
        {
            int from = at + command.Length;
            while (from < script.Length && char.IsWhiteSpace(script[from]))
            {
                from++;
            }
            int to = from;
            while (to < script.Length && !char.IsWhiteSpace(script[to]) && script[to] != ')')
            {
                to++;
            }
            string name = script[from..to];
            if (!ContextOptions.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return name;
            }
        }
        return null;
    }

    /// <summary>
    /// A long-lived Z3 context for many small scripts against one loaded text
    /// (conformance loads the spec once, then checks each step inside push/pop).
    /// Not thread-safe: one session per thread. Dispose frees the context.
    /// </summary>
    public sealed class Session : IDisposable
    {
        private IntPtr ctx;

        /// <summary>Creates a context with the given per-query timeout.</summary>
        public Session(int timeoutMs)
        {
            IntPtr cfg = MkConfig();
            SetParamValue(cfg, "timeout", timeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
            SetParamValue(cfg, "model", "true");
            ctx = MkContextRc(cfg);
            DelConfig(cfg);
            SetErrorHandler(ctx, IntPtr.Zero);
            // the context's first command: it would otherwise start from whatever timeout another thread set last
            _ = Eval("(set-option :timeout " + timeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")\n");
        }

        /// <summary>
        /// Runs SMT-LIB2 text in this context under a wall-clock bound: the context is interrupted
        /// <see cref="InterruptGraceMs"/> after <paramref name="timeoutMs"/> (Z3's own timeout can overrun).
        /// </summary>
        public string Eval(string script, int timeoutMs)
        {
            ObjectDisposedException.ThrowIf(ctx == IntPtr.Zero, this);
            object gate = new();
            bool done = false;
            IntPtr target = ctx;
            using var watchdog = new Timer(_ =>
            {
                lock (gate)
                {
                    if (!done)
                    {
                        Interrupt(target);
                    }
                }
            }, null, timeoutMs + InterruptGraceMs, Timeout.Infinite);
            try
            {
                return Eval(script);
            }
            finally
            {
                lock (gate)
                {
                    done = true;
                }
            }
        }

        /// <summary>Runs SMT-LIB2 text in this context (declarations persist) and returns what it printed.</summary>
        /// <remarks>
        /// A <c>set-option</c> outside <see cref="ContextOptions"/> is refused (an error, nothing run): it would change
        /// every other context in the process.
        /// </remarks>
        public string Eval(string script)
        {
            ObjectDisposedException.ThrowIf(ctx == IntPtr.Zero, this);
            if (ProcessWideOption(script) is { } option)
            {
                return $"(error \"set-option {option} is refused: in Z3 it changes every context of the process\")";
            }
            IntPtr result = EvalSmtlib2String(ctx, script);
            int code = GetErrorCode(ctx);
            string text = Marshal.PtrToStringUTF8(result) ?? string.Empty;
            return code != 0 && text.Trim().Length == 0 ? $"(error \"z3 error code {code}\")" : text;
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            if (ctx != IntPtr.Zero)
            {
                DelContext(ctx);
                ctx = IntPtr.Zero;
            }
        }
    }
}
