// The 3D view: a three.js scene with one box, ray-marched on the GPU through a
// 3D texture of the volume (see ray-march-shader.ts). A plain class with no
// React: it reacts to setVolume / setState, renders on demand (never in a busy
// loop) and releases everything in dispose().
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { DEFAULT_TEXTURE_BUDGET_BYTES, downsample, downsampledShape, planLevel, type Shape3, type VolumeKind } from './downsample';
import { boundingRadius, fitDistance, physicalBox, SAMPLES_PER_VOXEL, type VoxelSizeNm } from './geometry';
import { rayMarchFragmentShader, rayMarchVertexShader } from './ray-march-shader';
import { DEFAULT_VIEWER_STATE, mergeViewerState, type ViewerState, type ViewerStateUpdate } from './viewer-state';

export const WEBGL2_MISSING = '3D view needs WebGL2: update the graphics driver or use the 2D views';

export interface ViewerVolume {
  /** uint8 voxels, x fastest, then y, then z (slice by slice). */
  data: Uint8Array;
  shape: Shape3;
  voxelSizeNm: VoxelSizeNm;
  /** grey: intensities 0..255, linear filtering. labels: 0 = pore, >= 1 = solid, nearest filtering. */
  kind: VolumeKind;
}

/** Standard views: 'xy' along the slices' normal with x right and y down, as the orthoviews show a slice (the stack seen from below slice 0); 'xz' from the front (x right, z up); 'yz' from the side (y right, z up). */
export type StandardView = 'xy' | 'xz' | 'yz';

/** Where the camera is: position, orbit target and up vector, in scene units. */
export interface CameraPose {
  position: [number, number, number];
  target: [number, number, number];
  up: [number, number, number];
}

/** The level the GPU got: factors [fz, fy, fx] (all 1 = full resolution) and the texture's shape. */
export interface ViewerLevel {
  factors: Shape3;
  shape: Shape3;
}

export interface VolumeViewerOptions {
  /** Background colour, '#rrggbb'. */
  background?: string;
  /** Vertical field of view in degrees. */
  fovDeg?: number;
  /** Most bytes one volume texture may take on the GPU (default 256 MB); larger volumes are downsampled. */
  textureBudgetBytes?: number;
  /** Device pixels per CSS pixel (default window.devicePixelRatio). */
  pixelRatio?: number;
  initialState?: ViewerStateUpdate;
}

function hexToRgb(hex: string): THREE.Vector3 {
  const n = Number.parseInt(hex.slice(1), 16);
  return new THREE.Vector3(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
}

export class VolumeViewer {
  readonly canvas: HTMLCanvasElement;
  private readonly container: HTMLElement;
  private readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly camera: THREE.PerspectiveCamera;
  private readonly controls: OrbitControls;
  private readonly geometry = new THREE.BoxGeometry(1, 1, 1);
  private readonly material: THREE.ShaderMaterial;
  private readonly mesh: THREE.Mesh;
  private readonly maxTexture3D: number;
  private readonly budget: number;
  private readonly info: THREE.WebGLInfo;
  private texture: THREE.Data3DTexture | null = null;
  private box: [number, number, number] = [1, 1, 1];
  /** Box outline and axes triad, turned like the volume, in scene units (not scaled with the box). */
  private readonly overlay = new THREE.Group();
  private overlayParts: { geometry: THREE.BufferGeometry; material: THREE.Material }[] = [];
  private stateValue: ViewerState;
  private levelValue: ViewerLevel | null = null;
  private frameRequest = 0;
  private resizeObserver: ResizeObserver | null = null;
  private disposed = false;
  private readonly onControlsChange = (): void => this.requestRender();
  private readonly inverse = new THREE.Matrix4();

  constructor(container: HTMLElement, opts: VolumeViewerOptions = {}) {
    this.container = container;
    this.budget = opts.textureBudgetBytes ?? DEFAULT_TEXTURE_BUDGET_BYTES;
    this.stateValue = mergeViewerState(DEFAULT_VIEWER_STATE, opts.initialState ?? {});

    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl2', { antialias: false, alpha: false, depth: true, preserveDrawingBuffer: false });
    if (!gl) throw new Error(WEBGL2_MISSING);
    this.canvas = canvas;
    canvas.style.display = 'block';
    this.maxTexture3D = gl.getParameter(gl.MAX_3D_TEXTURE_SIZE) as number;

    this.renderer = new THREE.WebGLRenderer({ canvas, context: gl, antialias: false });
    this.renderer.setPixelRatio(opts.pixelRatio ?? window.devicePixelRatio ?? 1);
    this.renderer.setClearColor(new THREE.Color(opts.background ?? '#15181d'), 1);
    this.info = this.renderer.info;

    this.camera = new THREE.PerspectiveCamera(opts.fovDeg ?? 35, 1, 0.01, 100);
    this.camera.position.set(0, 0, 3);

    this.material = new THREE.ShaderMaterial({
      glslVersion: THREE.GLSL3,
      vertexShader: rayMarchVertexShader,
      fragmentShader: rayMarchFragmentShader,
      side: THREE.BackSide,
      transparent: true,
      premultipliedAlpha: true,
      depthWrite: false,
      uniforms: {
        uVolume: { value: null },
        uValueScale: { value: 1 },
        uSmoothGradient: { value: false },
        uCamLocal: { value: new THREE.Vector3() },
        uTexShape: { value: new THREE.Vector3(1, 1, 1) },
        uBox: { value: new THREE.Vector3(1, 1, 1) },
        uClipMin: { value: new THREE.Vector3(0, 0, 0) },
        uClipMax: { value: new THREE.Vector3(1, 1, 1) },
        uMode: { value: 1 },
        uIso: { value: 0.5 },
        uLow: { value: 0 },
        uHigh: { value: 1 },
        uOpacity: { value: 1 },
        uColour: { value: new THREE.Vector3(1, 1, 1) },
        uSamplesPerVoxel: { value: SAMPLES_PER_VOXEL },
      },
    });
    this.mesh = new THREE.Mesh(this.geometry, this.material);
    // Volume axes -> scene: x -> right, z (slices) -> up, y -> towards the viewer's back.
    this.mesh.rotation.x = -Math.PI / 2;
    this.mesh.visible = false;
    this.scene.add(this.mesh);
    this.overlay.rotation.x = -Math.PI / 2;
    this.overlay.visible = false;
    this.scene.add(this.overlay);

    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.addEventListener('change', this.onControlsChange);

    container.appendChild(canvas);
    if (typeof ResizeObserver !== 'undefined') {
      this.resizeObserver = new ResizeObserver(() => this.resize());
      this.resizeObserver.observe(container);
    }
    this.applyState();
    this.resize();
  }

  /** The state shown now (a copy). */
  get state(): ViewerState {
    return mergeViewerState(this.stateValue, {});
  }

  /** The downsampling level of the current volume, null before setVolume. */
  get level(): ViewerLevel | null {
    return this.levelValue;
  }

  /** Largest 3D texture side of this GPU (gl.MAX_3D_TEXTURE_SIZE). */
  get maxTextureSize(): number {
    return this.maxTexture3D;
  }

  /** Frames drawn so far (render on demand: it stays put while nothing changes). */
  get framesRendered(): number {
    return this.info.render.frame;
  }

  /** GPU objects three.js holds now (0 and 0 after dispose). */
  memory(): { geometries: number; textures: number } {
    return { geometries: this.info.memory.geometries, textures: this.info.memory.textures };
  }

  /** Uploads a volume (downsampled first when it does not fit the GPU), frames it and renders. */
  setVolume(v: ViewerVolume): void {
    this.checkAlive();
    const [nz, ny, nx] = v.shape;
    if (v.data.length !== nz * ny * nx) throw new Error(`volume data has ${v.data.length} voxels, shape [${v.shape.join(', ')}] needs ${nz * ny * nx}`);
    if (v.kind !== 'grey' && v.kind !== 'labels') throw new Error(`volume kind must be 'grey' or 'labels', got ${String(v.kind)}`);
    const { box } = physicalBox(v.shape, v.voxelSizeNm);

    const factors = planLevel(v.shape, this.budget, this.maxTexture3D);
    let data = v.data;
    let shape = v.shape;
    if (factors.some((f) => f > 1)) ({ data, shape } = downsample(v.data, v.shape, factors, v.kind));
    this.levelValue = { factors, shape: downsampledShape(v.shape, factors) };

    const texture = new THREE.Data3DTexture(data, shape[2], shape[1], shape[0]);
    texture.format = THREE.RedFormat;
    texture.type = THREE.UnsignedByteType;
    const filter = v.kind === 'grey' ? THREE.LinearFilter : THREE.NearestFilter;
    texture.minFilter = filter;
    texture.magFilter = filter;
    texture.wrapS = texture.wrapT = texture.wrapR = THREE.ClampToEdgeWrapping;
    texture.generateMipmaps = false;
    texture.unpackAlignment = 1;
    texture.needsUpdate = true;
    this.texture?.dispose();
    this.texture = texture;

    const u = this.material.uniforms;
    u.uVolume.value = texture;
    // Labels 0 / 1 come out of the texture as 0 and 1/255: scale them back to 0..1 (>= 1 is solid).
    u.uValueScale.value = v.kind === 'labels' ? 255 : 1;
    u.uSmoothGradient.value = v.kind === 'labels';
    (u.uTexShape.value as THREE.Vector3).set(shape[2], shape[1], shape[0]);
    (u.uBox.value as THREE.Vector3).set(box[0], box[1], box[2]);
    // The same physical box as before (the same volume again, or its segmentation): the camera stays where the user put it.
    const sameBox = this.mesh.visible && box.every((b, i) => Math.abs(b - this.box[i]) <= 1e-9 * Math.max(1, Math.abs(b)));
    this.box = box;
    this.mesh.scale.set(box[0], box[1], box[2]);
    this.mesh.visible = true;
    this.buildOverlay();
    this.applyState();
    if (sameBox) this.render();
    else this.resetCamera();
  }

  /** Box outline (grey) and axes triad from voxel (0, 0, 0): x red, y green, z blue, each 0.35 of the longest side. */
  private buildOverlay(): void {
    this.disposeOverlay();
    const [bx, by, bz] = this.box;
    const outline = new THREE.EdgesGeometry(new THREE.BoxGeometry(bx, by, bz));
    const outlineMaterial = new THREE.LineBasicMaterial({ color: 0x9aa3b2 });
    const length = 0.35 * Math.max(bx, by, bz);
    const o = [-bx / 2, -by / 2, -bz / 2];
    const axes = new THREE.BufferGeometry();
    axes.setAttribute('position', new THREE.Float32BufferAttribute([...o, o[0] + length, o[1], o[2], ...o, o[0], o[1] + length, o[2], ...o, o[0], o[1], o[2] + length], 3));
    // Linear colours (shown as sRGB): red, green and a light blue.
    axes.setAttribute('color', new THREE.Float32BufferAttribute([1, 0.05, 0.05, 1, 0.05, 0.05, 0.05, 1, 0.05, 0.05, 1, 0.05, 0.05, 0.25, 1, 0.05, 0.25, 1], 3));
    const axesMaterial = new THREE.LineBasicMaterial({ vertexColors: true });
    const axesLines = new THREE.LineSegments(axes, axesMaterial);
    axesLines.renderOrder = 1; // after the outline, whose edges they lie on: they win at equal depth
    this.overlay.add(new THREE.LineSegments(outline, outlineMaterial), axesLines);
    this.overlayParts = [
      { geometry: outline, material: outlineMaterial },
      { geometry: axes, material: axesMaterial },
    ];
  }

  private disposeOverlay(): void {
    this.overlay.clear();
    for (const p of this.overlayParts) {
      p.geometry.dispose();
      p.material.dispose();
    }
    this.overlayParts = [];
  }

  /** Turns the camera to a standard view of the whole box (see StandardView). */
  viewFrom(view: StandardView): void {
    // Scene axes: volume x -> scene +x, volume y -> scene -z, volume z (slices) -> scene +y.
    // A slice as the orthoviews show it (x right, y down) is the stack seen from below its first slice.
    if (view === 'xy') this.resetCamera([0, -1, 0], [0, 0, 1]);
    else if (view === 'xz') this.resetCamera([0, 0, 1], [0, 1, 0]);
    else if (view === 'yz') this.resetCamera([1, 0, 0], [0, 1, 0]);
    else throw new Error(`view must be 'xy', 'xz' or 'yz', got ${String(view)}`);
  }

  /** The camera's pose now (to keep it across viewers, e.g. when the 3D view is closed and shown again). */
  get cameraPose(): CameraPose {
    return { position: this.camera.position.toArray(), target: this.controls.target.toArray(), up: this.camera.up.toArray() };
  }

  /** Puts the camera back where a pose says (from cameraPose). */
  setCameraPose(p: CameraPose): void {
    this.checkAlive();
    const all = [...p.position, ...p.target, ...p.up];
    if (all.length !== 9 || !all.every(Number.isFinite)) throw new Error('a camera pose needs finite position, target and up (3 numbers each)');
    this.camera.position.set(...p.position);
    this.camera.up.set(...p.up);
    this.controls.target.set(...p.target);
    const dist = this.camera.position.distanceTo(this.controls.target);
    this.camera.near = Math.max(1e-6, dist / 100);
    this.camera.far = dist * 10 + boundingRadius(this.box) * 4;
    this.camera.lookAt(this.controls.target);
    this.camera.updateProjectionMatrix();
    this.controls.update();
    this.render();
  }

  /** Merges a partial state and renders. */
  setState(s: ViewerStateUpdate): void {
    this.checkAlive();
    this.stateValue = mergeViewerState(this.stateValue, s);
    this.applyState();
    this.render();
  }

  /**
   * Puts the camera on the line from the centre along `direction` (scene
   * axes: +z = front, +y = up) at the distance that frames the whole box.
   */
  resetCamera(direction: [number, number, number] = [0, 0, 1], up: [number, number, number] = [0, 1, 0]): void {
    this.checkAlive();
    const dir = new THREE.Vector3(...direction);
    if (dir.lengthSq() === 0) throw new Error('camera direction must not be zero');
    if (new THREE.Vector3(...up).cross(dir).lengthSq() === 0) throw new Error('camera up must not be parallel to its direction');
    dir.normalize();
    const dist = fitDistance(boundingRadius(this.box), this.camera.fov, this.camera.aspect);
    this.camera.position.copy(dir.multiplyScalar(dist));
    this.camera.near = dist / 100;
    this.camera.far = dist * 10;
    this.camera.up.set(...up).normalize();
    this.camera.lookAt(0, 0, 0);
    this.camera.updateProjectionMatrix();
    this.controls.target.set(0, 0, 0);
    this.controls.update();
    this.render();
  }

  /** Renders one frame now. */
  render(): void {
    this.checkAlive();
    if (this.frameRequest) {
      cancelAnimationFrame(this.frameRequest);
      this.frameRequest = 0;
    }
    this.camera.updateMatrixWorld();
    this.mesh.updateMatrixWorld();
    this.inverse.copy(this.mesh.matrixWorld).invert();
    (this.material.uniforms.uCamLocal.value as THREE.Vector3).copy(this.camera.position).applyMatrix4(this.inverse);
    this.renderer.render(this.scene, this.camera);
    // For tests and the panel: where the camera is (rounded), beside the shader inputs.
    const r = (v: number[]) => v.map((c) => Math.round(c * 1e6) / 1e6);
    const p = this.cameraPose;
    this.canvas.dataset.camera = JSON.stringify({ position: r(p.position), target: r(p.target), up: r(p.up) });
  }

  /** Renders on the next animation frame (several requests make one frame). */
  requestRender(): void {
    if (this.disposed || this.frameRequest) return;
    this.frameRequest = requestAnimationFrame(() => {
      this.frameRequest = 0;
      if (!this.disposed) this.render();
    });
  }

  /** Fits the canvas to the container (called by a ResizeObserver too). */
  resize(): void {
    if (this.disposed) return;
    const w = Math.max(1, this.container.clientWidth || 300);
    const h = Math.max(1, this.container.clientHeight || 150);
    this.renderer.setSize(w, h, true);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.render();
  }

  /** The current frame as a PNG data URL (renders first, then reads the drawing buffer). */
  screenshot(): string {
    this.render();
    return this.canvas.toDataURL('image/png');
  }

  /** Releases geometry, material, texture, controls, the WebGL context and the canvas. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.frameRequest) cancelAnimationFrame(this.frameRequest);
    this.frameRequest = 0;
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    this.controls.removeEventListener('change', this.onControlsChange);
    this.controls.dispose();
    this.scene.remove(this.mesh);
    this.scene.remove(this.overlay);
    this.disposeOverlay();
    this.geometry.dispose();
    this.material.dispose();
    this.texture?.dispose();
    this.texture = null;
    this.renderer.renderLists.dispose();
    this.renderer.dispose();
    this.renderer.forceContextLoss();
    this.canvas.remove();
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error('the 3D viewer was disposed: create a new one');
  }

  private applyState(): void {
    const s = this.stateValue;
    const u = this.material.uniforms;
    u.uMode.value = s.mode === 'volume' ? 0 : 1;
    u.uIso.value = s.isoLevel;
    u.uLow.value = s.window.low;
    u.uHigh.value = s.window.high;
    u.uOpacity.value = s.opacity;
    (u.uColour.value as THREE.Vector3).copy(hexToRgb(s.colour));
    (u.uClipMin.value as THREE.Vector3).set(s.clip.x[0], s.clip.y[0], s.clip.z[0]);
    (u.uClipMax.value as THREE.Vector3).set(s.clip.x[1], s.clip.y[1], s.clip.z[1]);
    this.overlay.visible = s.showBox && this.mesh.visible;
    this.canvas.dataset.showBox = String(this.overlay.visible);
    // Read back from the uniforms (not from the state) so that tests see what the shader gets.
    this.canvas.dataset.uniforms = JSON.stringify(this.shaderInputs());
  }

  /** What the shader is given now: mode (0 volume, 1 isosurface), iso level, window, clip box (texture coordinates). */
  shaderInputs(): { mode: number; iso: number; low: number; high: number; clipMin: number[]; clipMax: number[] } {
    const u = this.material.uniforms;
    return {
      mode: u.uMode.value as number,
      iso: u.uIso.value as number,
      low: u.uLow.value as number,
      high: u.uHigh.value as number,
      clipMin: (u.uClipMin.value as THREE.Vector3).toArray(),
      clipMax: (u.uClipMax.value as THREE.Vector3).toArray(),
    };
  }
}
