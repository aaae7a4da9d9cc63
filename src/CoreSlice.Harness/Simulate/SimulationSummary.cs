namespace CoreSlice.Harness.Simulate;

/// <summary>Counts of one kind of guest action.</summary>
internal sealed class AccessCounts
{
    /// <summary>Actions tried.</summary>
    public long Attempted { get; set; }

    /// <summary>Actions the hardware let through.</summary>
    public long Allowed { get; set; }

    /// <summary>Actions the hardware blocked.</summary>
    public long Blocked { get; set; }
}

/// <summary>Counts of one slicevisor operation.</summary>
internal sealed class OperationCounts
{
    /// <summary>Calls that succeeded.</summary>
    public long Accepted { get; set; }

    /// <summary>Calls refused with a check's error.</summary>
    public long Rejected { get; set; }

    /// <summary>Calls that hit an (injected) hardware fault part-way.</summary>
    public long Faulted { get; set; }
}

/// <summary>What a simulation run did and found: the command's output, as text or JSON.</summary>
internal sealed class SimulationSummary
{
    /// <summary>The seed the run used (rerun with it to reproduce).</summary>
    public int Seed { get; set; }

    /// <summary>Random steps after the scripted start.</summary>
    public int Steps { get; set; }

    /// <summary>Cores of the machine.</summary>
    public int Cores { get; set; }

    /// <summary>The port the slicevisor ran on: "abstract" (range registers) or "pmp" (PMP entries).</summary>
    public string Port { get; set; } = "abstract";

    /// <summary>Slicevisor operations by name.</summary>
    public SortedDictionary<string, OperationCounts> Operations { get; } = new(StringComparer.Ordinal);

    /// <summary>Hostile manager requests sent (one field broken each).</summary>
    public long HostileRequests { get; set; }

    /// <summary>Hostile requests the slicevisor refused.</summary>
    public long HostileRejected { get; set; }

    /// <summary>Round trips through a read-write window that delivered both messages intact (control slice to guest and back).</summary>
    public long WindowExchanges { get; set; }

    /// <summary>Guest actions by class.</summary>
    public SortedDictionary<string, AccessCounts> Accesses { get; } = new(StringComparer.Ordinal);

    /// <summary>Hardware faults injected (reset, IOMMU, register corruption).</summary>
    public long FaultsInjected { get; set; }

    /// <summary>Slots quarantined in Destroying after a fault and later destroyed by a retry.</summary>
    public long QuarantinesRecovered { get; set; }

    /// <summary>Allowed actions that crossed a slice boundary, plus broken invariants (must be 0).</summary>
    public long IsolationViolations { get; set; }

    /// <summary>Bytes of another slice's data a new owner could read (must be 0).</summary>
    public long ResidueFound { get; set; }

    /// <summary>Legitimate actions or requests the system wrongly refused (must be 0).</summary>
    public long FunctionalFailures { get; set; }

    /// <summary>The first few problems, in words.</summary>
    public List<string> Findings { get; } = [];

    /// <summary>True when nothing was violated.</summary>
    public bool Holds => IsolationViolations == 0 && ResidueFound == 0 && FunctionalFailures == 0;

    /// <summary>Counts for one operation name, created on first use.</summary>
    public OperationCounts Operation(string name)
    {
        if (!Operations.TryGetValue(name, out OperationCounts? counts))
        {
            counts = new OperationCounts();
            Operations[name] = counts;
        }
        return counts;
    }

    /// <summary>Counts for one access class, created on first use.</summary>
    public AccessCounts Access(AttackClass kind)
    {
        string name = kind.ToString();
        if (!Accesses.TryGetValue(name, out AccessCounts? counts))
        {
            counts = new AccessCounts();
            Accesses[name] = counts;
        }
        return counts;
    }

    /// <summary>Records a problem (the first 20 are kept in words).</summary>
    public void Find(string finding)
    {
        if (Findings.Count < 20)
        {
            Findings.Add(finding);
        }
    }
}
