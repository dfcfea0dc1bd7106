// The project's channels with their geometry and acquisition facts; every
// voxel size says (on hover) where it came from.
import type { ChannelSummary } from '../../src-shared/contract';
import { formatMegabytes, formatNm, formatVoltage } from '../format';

export function ChannelTable({ channels }: { channels: ChannelSummary[] }) {
  if (channels.length === 0) {
    return (
      <section className="card" aria-label="Channels">
        <h2>Channels</h2>
        <p className="empty">No channel yet: import a stack below.</p>
      </section>
    );
  }
  return (
    <section className="card" aria-label="Channels">
      <h2>Channels</h2>
      <table className="channel-table">
        <thead>
          <tr>
            <th>Channel</th>
            <th className="num">Slices</th>
            <th className="num">Width × height (px)</th>
            <th>Type</th>
            <th className="num">Voxel x (nm)</th>
            <th className="num">Voxel y (nm)</th>
            <th className="num">Voxel z (nm)</th>
            <th>Beam</th>
            <th>Detector</th>
            <th className="num">Stored</th>
          </tr>
        </thead>
        <tbody>
          {channels.map((c) => (
            <ChannelRow key={c.name} channel={c} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ChannelRow({ channel: c }: { channel: ChannelSummary }) {
  const [nz, ny, nx] = c.shape;
  return (
    <tr data-channel={c.name}>
      <td className="channel-name">{c.name}</td>
      <td className="num slices">{nz}</td>
      <td className="num size">
        {nx} × {ny}
      </td>
      <td>{c.dtype}</td>
      {(['x', 'y', 'z'] as const).map((axis) => {
        // A size nothing in the files gave (e.g. no slice spacing) is a guess: marked as such, not shown like a measured one.
        const assumed = c.voxelSizeSource[axis].startsWith('assumed');
        return (
          <td key={axis} className={`num voxel-${axis} ${assumed ? 'unknown assumed' : 'sourced'}`} title={`${axis}: ${formatNm(c.voxelSizeNm[axis])} nm, from ${c.voxelSizeSource[axis]}`}>
            {formatNm(c.voxelSizeNm[axis])}
            {assumed && <span className="assumed-mark"> (assumed)</span>}
          </td>
        );
      })}
      <td className={c.beamVoltageV ? 'sourced' : 'unknown'} title={c.beamVoltageV ? `from ${c.beamVoltageV.source}` : 'not in the file metadata'}>
        {c.beamVoltageV ? formatVoltage(c.beamVoltageV.value) : '—'}
      </td>
      <td className={c.detector ? 'sourced' : 'unknown'} title={c.detector ? `from ${c.detector.source}` : 'not in the file metadata'}>
        {c.detector ? c.detector.value : '—'}
      </td>
      <td className="num stored" title={`${formatMegabytes(c.rawBytes)} uncompressed, ${c.sourceFileCount} source file(s)`}>
        {formatMegabytes(c.storedBytes)}
      </td>
    </tr>
  );
}
