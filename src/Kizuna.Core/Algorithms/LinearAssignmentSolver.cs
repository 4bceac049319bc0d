namespace Kizuna.Core.Algorithms;

/// <summary>
/// Optimal rectangular 2-D linear assignment (minimisation) with forbidden pairs, solved by the
/// Jonker–Volgenant shortest augmenting path method. A solver object owns its work buffers and
/// grows them on demand, so repeated calls of similar size do not allocate.
/// </summary>
/// <remarks>
/// <para>Problem. Given a cost matrix C (R rows × K columns, row-major) find an injective map of
/// the smaller side into the larger side that minimises Σ C[i, σ(i)]. When R ≤ K every row is
/// assigned to a distinct column; when R &gt; K every column receives a distinct row and R − K rows
/// stay unassigned (−1). An entry of <see cref="double.PositiveInfinity"/> marks a forbidden pair;
/// if no complete assignment of the smaller side avoids the forbidden pairs the problem is
/// infeasible and <see cref="Solve"/> returns <c>false</c>.</para>
/// <para>Method. R. Jonker and A. Volgenant, "A shortest augmenting path algorithm for dense and
/// sparse linear assignment problems", Computing 38(4):325–340, 1987; in the rectangular form of
/// D. F. Crouse, "On implementing 2D rectangular assignment algorithms", IEEE Trans. Aerospace and
/// Electronic Systems 52(4):1679–1696, 2016, Algorithm 1 (no initialisation heuristics). With dual
/// variables u (rows) and v (columns), reduced costs C[i,j] − u[i] − v[j] stay ≥ 0, so each
/// augmentation is a Dijkstra search over columns from one free row to the nearest free column;
/// after it the duals are updated (Crouse eqs. 13–14: u[r] += δ − d[col(r)] for rows r on the
/// tree, v[j] −= δ − d[j] for scanned columns, δ the path length) and the path is flipped.
/// Costs are first shifted by their minimum finite value so that the initial duals u = v = 0 are
/// feasible; the shift does not change the optimum because the number of assigned pairs is fixed.
/// When R &gt; K the transposed problem is solved by index arithmetic, without a copy.
/// Complexity O(min(R,K)² · max(R,K)).</para>
/// <para>Among columns at the same path length an unassigned one is preferred (it ends the search
/// early); the scan order is fixed, so results are deterministic for a given input.
/// Not thread-safe: use one solver per thread.</para>
/// </remarks>
public sealed class LinearAssignmentSolver
{
    private double[] _u = [];
    private double[] _v = [];
    private double[] _shortest = [];
    private int[] _path = [];
    private int[] _rowForCol = [];
    private int[] _colForRow = [];
    private int[] _remaining = [];
    private bool[] _scannedRows = [];

    /// <summary>The cost that marks a forbidden pair.</summary>
    public static double Forbidden => double.PositiveInfinity;

    /// <summary>
    /// Solves the assignment for a row-major <paramref name="rows"/> × <paramref name="columns"/>
    /// cost matrix.
    /// </summary>
    /// <param name="costs">Row-major costs, length rows × columns. Finite values or
    /// <see cref="Forbidden"/>; NaN and −∞ are rejected.</param>
    /// <param name="rows">Number of rows (≥ 0).</param>
    /// <param name="columns">Number of columns (≥ 0).</param>
    /// <param name="columnForRow">Output, length ≥ rows: the column assigned to each row, or −1.</param>
    /// <param name="totalCost">The optimal total cost (of the original, unshifted costs); 0 for an
    /// empty problem, +∞ when infeasible.</param>
    /// <returns><c>true</c> when a complete assignment of the smaller side exists.</returns>
    /// <exception cref="ArgumentException">Sizes do not match, or a cost is NaN or −∞.</exception>
    public bool Solve(ReadOnlySpan<double> costs, int rows, int columns, Span<int> columnForRow, out double totalCost)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if ((long)rows * columns != costs.Length)
        {
            throw new ArgumentException($"Cost span has {costs.Length} entries, expected {rows} × {columns}.", nameof(costs));
        }

        if (columnForRow.Length < rows)
        {
            throw new ArgumentException($"Output span has {columnForRow.Length} entries, needs {rows}.", nameof(columnForRow));
        }

        columnForRow[..rows].Fill(-1);
        totalCost = 0;
        if (rows == 0 || columns == 0)
        {
            return true;
        }

        var minimum = double.PositiveInfinity;
        foreach (var c in costs)
        {
            if (double.IsNaN(c) || double.IsNegativeInfinity(c))
            {
                throw new ArgumentException("Costs must be finite or +∞ (forbidden); found NaN or −∞.", nameof(costs));
            }

            if (c < minimum)
            {
                minimum = c;
            }
        }

        if (double.IsPositiveInfinity(minimum))
        {
            totalCost = double.PositiveInfinity;
            return false;
        }

        // Solve with n ≤ m: n "rows" of the working problem, m "columns".
        var transposed = rows > columns;
        var n = transposed ? columns : rows;
        var m = transposed ? rows : columns;
        var rowStride = transposed ? 1 : columns;
        var colStride = transposed ? columns : 1;
        EnsureCapacity(n, m);

        var u = _u.AsSpan(0, n);
        var v = _v.AsSpan(0, m);
        var shortest = _shortest.AsSpan(0, m);
        var path = _path.AsSpan(0, m);
        var rowForCol = _rowForCol.AsSpan(0, m);
        var colForRow = _colForRow.AsSpan(0, n);
        var remaining = _remaining.AsSpan(0, m);
        var scannedRows = _scannedRows.AsSpan(0, n);
        u.Clear();
        v.Clear();
        rowForCol.Fill(-1);
        colForRow.Fill(-1);

        for (var freeRow = 0; freeRow < n; freeRow++)
        {
            // Dijkstra over columns from freeRow (Crouse Algorithm 1, "augmenting path").
            var numRemaining = m;
            for (var k = 0; k < m; k++)
            {
                remaining[k] = k;
            }

            shortest.Fill(double.PositiveInfinity);
            scannedRows.Clear();
            var minVal = 0.0;
            var i = freeRow;
            var sink = -1;
            while (sink < 0)
            {
                scannedRows[i] = true;
                var indexLowest = -1;
                var lowest = double.PositiveInfinity;
                var rowBase = i * rowStride;
                for (var k = 0; k < numRemaining; k++)
                {
                    var j = remaining[k];
                    var reduced = minVal + (costs[rowBase + (j * colStride)] - minimum) - u[i] - v[j];
                    if (reduced < shortest[j])
                    {
                        path[j] = i;
                        shortest[j] = reduced;
                    }

                    if (shortest[j] < lowest || (shortest[j] == lowest && rowForCol[j] < 0))
                    {
                        lowest = shortest[j];
                        indexLowest = k;
                    }
                }

                minVal = lowest;
                if (double.IsPositiveInfinity(minVal))
                {
                    columnForRow[..rows].Fill(-1);
                    totalCost = double.PositiveInfinity;
                    return false;
                }

                var col = remaining[indexLowest];
                if (rowForCol[col] < 0)
                {
                    sink = col;
                }
                else
                {
                    i = rowForCol[col];
                }

                // Move the scanned column behind the remaining ones (kept for the dual update).
                numRemaining--;
                (remaining[indexLowest], remaining[numRemaining]) = (remaining[numRemaining], remaining[indexLowest]);
            }

            // Dual update (Crouse eqs. 13–14).
            u[freeRow] += minVal;
            for (var r = 0; r < n; r++)
            {
                if (scannedRows[r] && r != freeRow)
                {
                    u[r] += minVal - shortest[colForRow[r]];
                }
            }

            for (var k = numRemaining; k < m; k++)
            {
                var j = remaining[k];
                v[j] -= minVal - shortest[j];
            }

            // Augment along the path back to freeRow.
            var jj = sink;
            while (true)
            {
                var r = path[jj];
                rowForCol[jj] = r;
                (colForRow[r], jj) = (jj, colForRow[r]);
                if (r == freeRow)
                {
                    break;
                }
            }
        }

        var total = 0.0;
        for (var r = 0; r < n; r++)
        {
            var c = colForRow[r];
            total += costs[(r * rowStride) + (c * colStride)];
            if (transposed)
            {
                columnForRow[c] = r;
            }
            else
            {
                columnForRow[r] = c;
            }
        }

        totalCost = total;
        return true;
    }

    private void EnsureCapacity(int n, int m)
    {
        if (_u.Length < n)
        {
            var size = Math.Max(n, _u.Length * 2);
            _u = new double[size];
            _colForRow = new int[size];
            _scannedRows = new bool[size];
        }

        if (_v.Length < m)
        {
            var size = Math.Max(m, _v.Length * 2);
            _v = new double[size];
            _shortest = new double[size];
            _path = new int[size];
            _rowForCol = new int[size];
            _remaining = new int[size];
        }
    }
}
