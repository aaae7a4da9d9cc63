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
        IntPtr cfg = MkConfig();
        SetParamValue(cfg, "timeout", timeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        SetParamValue(cfg, "model", "true");
        IntPtr ctx = MkContextRc(cfg);
        DelConfig(cfg);
        // Z3's own timeout is not a hard bound (it overruns in some tactics and in model
        // construction): a timer interrupts the context, so no query can hang CI.
        object gate = new();
        bool done = false;
        using var watchdog = new Timer(_ =>
        {
            lock (gate)
            {
                if (!done)
                {
                    Interrupt(ctx);
                }
            }
        }, null, timeoutMs + InterruptGraceMs, Timeout.Infinite);
        try
        {
            // No handler: errors are reported through the error code, never by exiting the process.
            SetErrorHandler(ctx, IntPtr.Zero);
            IntPtr result = EvalSmtlib2String(ctx, script);
            int code = GetErrorCode(ctx);
            string text = Marshal.PtrToStringUTF8(result) ?? string.Empty;
            // get-value after unsat sets an error code too: only an empty answer is an error by itself.
            return code != 0 && text.Trim().Length == 0 ? $"(error \"z3 error code {code}\")" : text;
        }
        finally
        {
            lock (gate)
            {
                done = true;
            }
            DelContext(ctx);
        }
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
        public string Eval(string script)
        {
            ObjectDisposedException.ThrowIf(ctx == IntPtr.Zero, this);
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
