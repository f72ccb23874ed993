namespace EcoSpatial.SpatialCore.Import;

/// <summary>
/// The land-use class codes an import accepts without comment: GB/T 21010-2017 (first and second level), the 三调
/// working codes (TD/T 1055-2019: 05H1, 0508, 08H1, 08H2, 08H2A, 1104A, 1107A, and the 湿地 group 00), and the
/// 国土空间调查、规划、用途管制用地用海分类指南 (2023) codes listed in the domain reference, §5.
/// </summary>
/// <remarks>
/// A code is checked as text, trimmed, case-insensitively ("08h2a" = "08H2A"). The 2023 guide reuses some numbers
/// with other meanings (its 0501 is 森林沼泽, GB/T 21010's is 零售商业), so a code valid in either is accepted;
/// which classification a file uses is for the user to say. Codes in none of them are reported by the import.
/// </remarks>
public static class LandUseCodes
{
    private static readonly HashSet<string> Known = new(Build(), StringComparer.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="code"/> is a code of GB/T 21010-2017, 三调 or the 2023 guide.</summary>
    public static bool IsKnown(string? code) => code is not null && Known.Contains(code.Trim());

    private static IEnumerable<string> Build()
    {
        // GB/T 21010-2017: first level 01–12 and the 73 second-level classes.
        var gb21010 = new Dictionary<int, int>
        {
            [1] = 3, [2] = 4, [3] = 7, [4] = 4, [5] = 7, [6] = 4, [7] = 2, [8] = 10, [9] = 6, [10] = 9, [11] = 10, [12] = 7,
        };
        foreach (var (first, count) in gb21010)
        {
            yield return $"{first:00}";
            for (var second = 1; second <= count; second++)
            {
                yield return $"{first:00}{second:00}";
            }
        }

        // 三调 working classification.
        foreach (var code in new[] { "00", "05H1", "0508", "08H1", "08H2", "08H2A", "1104A", "1107A" })
        {
            yield return code;
        }

        // 2023 用地用海 guide: first level 01–24 and the second/third-level classes of §5.2.
        for (var first = 1; first <= 24; first++)
        {
            yield return $"{first:00}";
        }

        var guide2023 = new Dictionary<int, int>
        {
            [1] = 3, [2] = 5, [3] = 4, [4] = 3, [5] = 7, [6] = 2, [7] = 4, [8] = 7, [9] = 4, [10] = 3, [11] = 2,
            [12] = 9, [13] = 12, [14] = 3, [15] = 7, [17] = 6, [23] = 7,
        };
        foreach (var (first, count) in guide2023)
        {
            for (var second = 1; second <= count; second++)
            {
                yield return $"{first:00}{second:00}";
            }
        }

        foreach (var code in new[]
        {
            "060101", "060102", "060201", "060202", "060203", "070101", "070102", "070103", "100101", "100102", "100103",
        })
        {
            yield return code;
        }
    }
}
