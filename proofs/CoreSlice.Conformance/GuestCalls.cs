using CoreSlice.Hardware;

namespace CoreSlice.Conformance;

/// <summary>GuestAccess: a one-byte load/store/fetch by a guest core; witness reg = the first register that allows it.</summary>
public sealed class AccessCall(int core, ulong address, Permissions perm) : SpecCall
{
    /// <inheritdoc/>
    public override string Operation => "GuestAccess";

    /// <inheritdoc/>
    public override string Describe() => $"core={core} address=0x{address:x} perm={perm}";

    private int Reg(AbstractState s)
    {
        for (int i = 0; i < s.Registers; i++)
        {
            if (((Permissions)s.RrPerm[core][i] & perm) == perm && address - s.RrBase[core][i] < s.RrSize[core][i] && address >= s.RrBase[core][i])
            {
                return i;
            }
        }
        return 0;
    }

    /// <inheritdoc/>
    public override string ArgsTerm(AbstractState pre, MachineConfig m) =>
        $"(mk-access-args {Smt.B16(core)} {Smt.B16(Reg(pre))} {Smt.B64(address)} {Smt.Bits((int)perm, 3)})";
}

/// <summary>ControlStore: the manager, on a control core, stores one byte.</summary>
public sealed class ControlStoreCall(ulong address) : SpecCall
{
    /// <inheritdoc/>
    public override string Operation => "ControlStore";

    /// <inheritdoc/>
    public override string Describe() => $"address=0x{address:x}";

    /// <inheritdoc/>
    public override string ArgsTerm(AbstractState pre, MachineConfig m) => $"(mk-control-args {Smt.B64(address)})";
}

/// <summary>GuestDma: a one-byte DMA read/write; witness reg = the first window range holding the address.</summary>
public sealed class DmaCall(int device, ulong address, bool write) : SpecCall
{
    /// <inheritdoc/>
    public override string Operation => "GuestDma";

    /// <inheritdoc/>
    public override string Describe() => $"device={device} address=0x{address:x} write={write}";

    // the IOMMU entry the spec's dmaAllows is asked about: one that lets the access through when one does
    // (the hardware allows when SOME entry does): the slot's DMA rows naming this device, or, for a slot
    // with none, its private ranges
    private int Reg(AbstractState s)
    {
        int w = s.Iommu[device];
        if (w < 1 || w > s.Slots)
        {
            return 0;
        }
        int needed = write ? (int)Permissions.Write : (int)Permissions.Read;
        bool rows = s.TblDN[w] > 0;
        int count = rows ? s.TblDN[w] : s.TblN[w];
        for (int i = 0; i < count; i++)
        {
            MemoryRange r = rows ? new MemoryRange(s.TblDBase[w][i], s.TblDSize[w][i]) : new MemoryRange(s.TblBase[w][i], s.TblSize[w][i]);
            int perm = rows ? s.TblDPerm[w][i] : s.TblPerm[w][i];
            if ((!rows || s.TblDDev[w][i] == device) && r.Contains(address) && (perm & needed) == needed)
            {
                return i;
            }
        }
        return 0;
    }

    /// <inheritdoc/>
    public override string ArgsTerm(AbstractState pre, MachineConfig m) =>
        $"(mk-dma-args {Smt.B16(device)} {Smt.B16(Reg(pre))} {Smt.B64(address)} {Smt.Bool(write)})";
}

/// <summary>GuestIpi from one core to another: when allowed, the receiver has received it.</summary>
public sealed class IpiCall(int from, int to) : SpecCall
{
    /// <inheritdoc/>
    public override string Operation => "GuestIpi";

    /// <summary>The receiving core.</summary>
    public int To => to;

    /// <inheritdoc/>
    public override string Describe() => $"from={from} to={to}";

    /// <inheritdoc/>
    public override string ArgsTerm(AbstractState pre, MachineConfig m) => $"(mk-ipi-args {Smt.B16(Index16(from, pre.Cores))} {Smt.B16(Index16(to, pre.Cores))})";
}

/// <summary>GuestResetRequest: always refused.</summary>
public sealed class ResetRequestCall(int core, int target) : SpecCall
{
    /// <inheritdoc/>
    public override string Operation => "GuestResetRequest";

    /// <inheritdoc/>
    public override string Describe() => $"core={core} target={target}";

    /// <inheritdoc/>
    public override string ArgsTerm(AbstractState pre, MachineConfig m) => $"(mk-reset-args {Smt.B16(core)} {Smt.B16(target)})";
}

/// <summary>GuestWriteFilter: kind 0 range register, 1 IPI mask, 2 way mask.</summary>
public sealed class FilterCall(int core, int kind, int register, RangeRegister value, int[] ipi, ulong ways) : SpecCall
{
    /// <inheritdoc/>
    public override string Operation => "GuestWriteFilter";

    /// <inheritdoc/>
    public override string Describe() => kind switch
    {
        0 => $"core={core} range register {register} := {value}",
        1 => $"core={core} ipi := {{{string.Join(',', ipi)}}}",
        _ => $"core={core} ways := 0x{ways:x}",
    };

    /// <inheritdoc/>
    public override string ArgsTerm(AbstractState pre, MachineConfig m) =>
        $"(mk-filter-args {Smt.B16(core)} {Smt.Bits(kind, 2)} {Smt.B16(register)} {Smt.B64(value.Base)} {Smt.B64(value.Size)} {Smt.Bits((int)value.Permissions, 3)} "
        + $"{BoolSet(ipi)} {AbstractState.WayBits(ways, core >= 0 && core < m.CoreCount ? DomainLayout.Of(m).CoreDom[core] : 0)})";
}

/// <summary>
/// Attest (manager) or GuestAttest (a guest core's mailbox). Whether the
/// key was usable is the environment's choice in the spec; the simulator's key derivation cannot be
/// made to fail, so it is read off the code's answer (AttestationKeyFault or not).
/// </summary>
public sealed class AttestCall(bool guest, int who, bool nonceOk, bool roomOk) : SpecCall
{
    /// <inheritdoc/>
    public override string Operation => guest ? "GuestAttest" : "Attest";

    /// <summary>The error the code returned (for the key choice).</summary>
    public int CodeError { get; set; }

    /// <inheritdoc/>
    public override string Describe() => $"{(guest ? "core" : "slot")}={who} nonce {(nonceOk ? "64 bytes" : "wrong length")} report buffer {(roomOk ? "large enough" : "too small")}";

    /// <inheritdoc/>
    public override string ArgsTerm(AbstractState pre, MachineConfig m)
    {
        ArgumentNullException.ThrowIfNull(pre);
        string key = Smt.Bool(CodeError != (int)SliceError.AttestationKeyFault);
        return guest
            ? $"(mk-guest-attest-args {Smt.B16(Index16(who, pre.Cores))} {Smt.Bool(nonceOk)} {Smt.Bool(roomOk)} {key})"
            : $"(mk-attest-args {Smt.B16(Slot16(who, pre.Slots))} {Smt.Bool(nonceOk)} {Smt.Bool(roomOk)} {key})";
    }
}

/// <summary>DrainLog into a destination of <c>room</c> whole entries (DrainLog of spec/45-attest-log.smt2).</summary>
public sealed class DrainCall(int room) : SpecCall
{
    /// <inheritdoc/>
    public override string Operation => "DrainLog";

    /// <inheritdoc/>
    public override string Describe() => $"room for {room} entries";

    /// <inheritdoc/>
    public override string ArgsTerm(AbstractState pre, MachineConfig m) => $"(mk-drain-args {Smt.B64((ulong)room)})";
}
