// Every stored volume: name, kind, shape (z × y × x), voxel size and how it was made.
import type { VolumeSummary } from '../../src-shared/contract';
import { formatShape, formatVoxelSize, howMade } from './step-text';

interface VolumeTableProps {
  volumes: VolumeSummary[];
  selected: string | null;
  onView: (name: string) => void;
}

export function VolumeTable({ volumes, selected, onView }: VolumeTableProps) {
  return (
    <section className="card volumes" aria-label="Volumes">
      <h2>Volumes</h2>
      {volumes.length === 0 ? (
        <p className="empty">No volumes yet: import a stack first.</p>
      ) : (
        <table className="volume-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Shape (z × y × x)</th>
              <th>Voxel size (x × y × z)</th>
              <th>How made</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {volumes.map((v) => (
              <tr key={v.name} data-volume={v.name} className={v.name === selected ? 'selected' : undefined}>
                <td className="volume-name">{v.name}</td>
                <td className="kind">
                  {v.kind}
                  {v.role === 'channel' ? ' (channel)' : ''}
                </td>
                <td className="shape num">{formatShape(v.shape)}</td>
                <td className="voxel num">{formatVoxelSize(v.voxelSizeNm)}</td>
                <td className="how">{howMade(v)}</td>
                <td>
                  <button type="button" className="secondary small" onClick={() => onView(v.name)} aria-label={`View ${v.name}`}>
                    View
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
