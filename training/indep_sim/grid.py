"""The fine grid the structure is made on.

In-plane spacing is one pixel. Along z the grid has `planes_per_slice` planes
per milled slice, so that the spacing is close to a pixel even when slices are
thicker than pixels (pixel 5 nm, slice 10 nm: two planes per slice). Slice i is
the face at plane i * planes_per_slice. Behind the last face the grid goes on
for `depth_planes` planes (the material that shines through into the last
slices), and below the last image row for `pad_rows` rows (the oblique beam
reaches rows further down as it goes deeper). Lengths inside the grid are in
pixel units; `dz_px` is the plane spacing in pixels.
"""
import math
from dataclasses import dataclass, asdict


@dataclass(frozen=True)
class Grid:
    nz: int
    ny: int
    nx: int
    pixel_nm: float
    slice_nm: float
    planes_per_slice: int
    depth_planes: int
    pad_rows: int

    @property
    def dz_nm(self):
        return self.slice_nm / self.planes_per_slice

    @property
    def dz_px(self):
        return self.dz_nm / self.pixel_nm

    @property
    def shape(self):
        return ((self.nz - 1) * self.planes_per_slice + 1 + self.depth_planes, self.ny + self.pad_rows, self.nx)

    def face_plane(self, i):
        return i * self.planes_per_slice

    def describe(self):
        d = asdict(self)
        d.update({'dz_nm': self.dz_nm, 'shape': list(self.shape)})
        return d


def make_grid(shape, p):
    nz, ny, nx = (int(n) for n in shape)
    if min(nz, ny, nx) < 1:
        raise ValueError(f'shape must be three positive integers (nz, ny, nx), got {shape}')
    per_slice = max(1, int(round(p['slice_nm'] / p['pixel_nm'])))
    dz_nm = p['slice_nm'] / per_slice
    depth = max(2, int(math.ceil(p['depth_margin_nm'] / dz_nm)))
    # Rows for an incidence up to 45 degrees (tan = 1): fixed by the depth, not
    # by the incidence, so that the structure does not change with imaging settings.
    pad = int(math.ceil(depth * dz_nm / p['pixel_nm'])) + 1
    return Grid(nz, ny, nx, p['pixel_nm'], p['slice_nm'], per_slice, depth, pad)
