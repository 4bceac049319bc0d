using Kizuna.Core;

namespace Kizuna.Tracking.Gating;

/// <summary>
/// A uniform-grid spatial hash over points in one Cartesian frame (ECEF or a flat frame): the
/// coarse pre-gate that keeps gating cost ~linear in the number of tracks. Points are added once
/// per frame; each query returns the points within a radius of a centre.
/// </summary>
/// <remarks>
/// <para>Space is cut into cubes of side <c>h</c>; a point p lies in cell (⌊pₓ/h⌋, ⌊p_y/h⌋, ⌊p_z/h⌋).
/// Cells are hashed into a power-of-two bucket table (at least twice the point count) with the
/// multiplicative hash of M. Teschner et al., "Optimized spatial hashing for collision detection of
/// deformable objects", VMV 2003, §4 (primes 73856093, 19349663, 83492791), and chained through
/// an index array, so building is O(n) and allocation-free once the arrays have grown. A query
/// visits the cells overlapping the axis-aligned box [c − r, c + r]; with h ≥ r that is at most
/// 2×2×2 cells, so the expected cost is O(1 + points near c). Each point records its own cell, so
/// hash collisions cost time but never return a point twice. If the box covers more cells than
/// there are points, the query scans all points instead (the worst case is then O(n)).</para>
/// <para>Not thread-safe. Query enumerators are invalidated by <see cref="Reset"/> and <see cref="Add"/>.</para>
/// </remarks>
public sealed class SpatialGrid
{
    private int[] _head = [];
    private Entry[] _entries = [];
    private int _count;
    private int _minX, _maxX, _minY, _maxY, _minZ, _maxZ;
    private int _mask;
    private double _inverseCell = 1;

    /// <summary>Number of points added since the last reset.</summary>
    public int Count => _count;

    /// <summary>The cell side h (same unit as the points).</summary>
    public double CellSize { get; private set; } = 1;

    /// <summary>Clears the grid and sets the cell side; <paramref name="capacity"/> is the expected point count.</summary>
    public void Reset(double cellSize, int capacity)
    {
        if (!(cellSize > 0) || !double.IsFinite(cellSize))
        {
            throw new ArgumentOutOfRangeException(nameof(cellSize), cellSize, "Cell size must be finite and > 0.");
        }

        CellSize = cellSize;
        _inverseCell = 1 / cellSize;
        var buckets = 16;
        while (buckets < 2 * capacity)
        {
            buckets <<= 1;
        }

        if (_head.Length < buckets)
        {
            _head = new int[2 * buckets]; // headroom: a slightly larger frame does not reallocate
        }

        _mask = buckets - 1;
        _head.AsSpan(0, buckets).Fill(-1);
        _count = 0;
        (_minX, _minY, _minZ) = (int.MaxValue, int.MaxValue, int.MaxValue);
        (_maxX, _maxY, _maxZ) = (int.MinValue, int.MinValue, int.MinValue);
        if (_entries.Length < capacity)
        {
            Grow(2 * capacity);
        }
    }

    /// <summary>Adds a point; returns its index (0, 1, 2, … in order of addition).</summary>
    public int Add(Vec3 point)
    {
        if (_count == _entries.Length)
        {
            Grow(Math.Max(16, _count * 2));
        }

        var i = _count++;
        var cx = Cell(point.X);
        var cy = Cell(point.Y);
        var cz = Cell(point.Z);
        (_minX, _maxX) = (Math.Min(_minX, cx), Math.Max(_maxX, cx));
        (_minY, _maxY) = (Math.Min(_minY, cy), Math.Max(_maxY, cy));
        (_minZ, _maxZ) = (Math.Min(_minZ, cz), Math.Max(_maxZ, cz));
        var b = Hash(cx, cy, cz) & _mask;
        _entries[i] = new Entry(point, cx, cy, cz, _head[b]);
        _head[b] = i;
        return i;
    }

    /// <summary>The point with index <paramref name="index"/>.</summary>
    public Vec3 Point(int index) => _entries[index].Point;

    /// <summary>The points within <paramref name="radius"/> of <paramref name="centre"/> (Euclidean), in no particular order.</summary>
    public QueryEnumerable Query(Vec3 centre, double radius) => new(this, centre, radius);

    private int Cell(double v)
    {
        var c = Math.Floor(v * _inverseCell);
        return c >= int.MaxValue ? int.MaxValue : c <= int.MinValue ? int.MinValue : (int)c;
    }

    private static int Hash(int x, int y, int z) => (x * 73856093) ^ (y * 19349663) ^ (z * 83492791);

    private void Grow(int capacity) => Array.Resize(ref _entries, capacity);

    /// <summary>A point with its cell and the next point of its bucket chain, kept together so a chain walk touches one cache line per point.</summary>
    private readonly record struct Entry(Vec3 Point, int X, int Y, int Z, int Next);

    /// <summary>The result of <see cref="Query"/>: enumerate with <c>foreach</c>.</summary>
    public readonly ref struct QueryEnumerable
    {
        private readonly SpatialGrid _grid;
        private readonly Vec3 _centre;
        private readonly double _radius;

        internal QueryEnumerable(SpatialGrid grid, Vec3 centre, double radius)
        {
            _grid = grid;
            _centre = centre;
            _radius = radius;
        }

        /// <summary>The enumerator.</summary>
        public QueryEnumerator GetEnumerator() => new(_grid, _centre, _radius);
    }

    /// <summary>Enumerates point indices within the query radius.</summary>
    public ref struct QueryEnumerator
    {
        private readonly SpatialGrid _grid;
        private readonly Vec3 _centre;
        private readonly double _radiusSquared;
        private readonly bool _scanAll;
        private readonly int _x0, _x1, _y0, _y1, _z0, _z1;
        private int _x, _y, _z;
        private int _item;

        internal QueryEnumerator(SpatialGrid grid, Vec3 centre, double radius)
        {
            _grid = grid;
            _centre = centre;
            _radiusSquared = radius * radius;
            // Cells outside the bounding box of the added points are empty: clamp the box to it
            // (in a flat frame every point has z = 0, so this halves the cells visited).
            _x0 = Math.Max(grid.Cell(centre.X - radius), grid._minX);
            _x1 = Math.Min(grid.Cell(centre.X + radius), grid._maxX);
            _y0 = Math.Max(grid.Cell(centre.Y - radius), grid._minY);
            _y1 = Math.Min(grid.Cell(centre.Y + radius), grid._maxY);
            _z0 = Math.Max(grid.Cell(centre.Z - radius), grid._minZ);
            _z1 = Math.Min(grid.Cell(centre.Z + radius), grid._maxZ);
            var cells = ((double)_x1 - _x0 + 1) * ((double)_y1 - _y0 + 1) * ((double)_z1 - _z0 + 1);
            _scanAll = !(cells <= grid._count) || !double.IsFinite(radius);
            if (!_scanAll && (_x0 > _x1 || _y0 > _y1 || _z0 > _z1))
            {
                _x1 = _x0 - 1; // empty box: NextCell fails at once
                _y1 = _y0;
                _z1 = _z0;
            }

            _x = _x0;
            _y = _y0;
            _z = _z0 - 1;
            _item = -1;
            Current = -1;
        }

        /// <summary>The current point index.</summary>
        public int Current { get; private set; }

        /// <summary>Advances to the next point inside the radius.</summary>
        public bool MoveNext()
        {
            var g = _grid;
            if (_scanAll)
            {
                while (++Current < g._count)
                {
                    if ((g._entries[Current].Point - _centre).NormSquared <= _radiusSquared)
                    {
                        return true;
                    }
                }

                return false;
            }

            while (true)
            {
                while (_item >= 0)
                {
                    var i = _item;
                    ref readonly var e = ref g._entries[i];
                    _item = e.Next;
                    if (e.X == _x && e.Y == _y && e.Z == _z && (e.Point - _centre).NormSquared <= _radiusSquared)
                    {
                        Current = i;
                        return true;
                    }
                }

                if (!NextCell())
                {
                    return false;
                }

                _item = g._head[Hash(_x, _y, _z) & g._mask];
            }
        }

        private bool NextCell()
        {
            if (_z < _z1)
            {
                _z++;
                return true;
            }

            _z = _z0;
            if (_y < _y1)
            {
                _y++;
                return true;
            }

            _y = _y0;
            if (_x < _x1)
            {
                _x++;
                return true;
            }

            return false;
        }
    }
}
