// GLSL 3 ray marching through a 3D texture, drawn on the back faces of a unit
// box (local coordinates -0.5..0.5, texture coordinates = local + 0.5).
// 'volume': front-to-back compositing with a grey window; 'isosurface': first
// crossing of the level, refined by bisection, shaded from the gradient
// (central differences) with a headlight (Lambert + Blinn-Phong).
// Both clip rays to the clip box. Step count: SAMPLES_PER_VOXEL samples per
// texture voxel crossed, at most MAX_STEPS (see geometry.ts).
import { MAX_STEPS } from './geometry';

export const rayMarchVertexShader = /* glsl */ `
out vec3 vLocal;
void main() {
  vLocal = position;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}
`;

export const rayMarchFragmentShader = /* glsl */ `
precision highp float;
precision highp sampler3D;

#define MAX_STEPS ${MAX_STEPS}

in vec3 vLocal;
layout(location = 0) out vec4 fragColor;

uniform sampler3D uVolume;
uniform float uValueScale;  // 255 for labels (0 / 1 voxels), 1 for grey
uniform bool uSmoothGradient; // labels: 3x3x3 stencil
uniform vec3 uCamLocal;      // camera position in the box's local space
uniform vec3 uTexShape;      // texture size: nx, ny, nz
uniform vec3 uBox;           // physical box, largest side 1: x, y, z
uniform vec3 uClipMin;       // clip box in texture coordinates
uniform vec3 uClipMax;
uniform int uMode;           // 0 volume, 1 isosurface
uniform float uIso;
uniform float uLow;
uniform float uHigh;
uniform float uOpacity;
uniform vec3 uColour;
uniform float uSamplesPerVoxel;

// Entry and exit of the ray o + t d in the box [lo, hi] (t >= 0), and the axis of entry.
vec3 hitBox(vec3 o, vec3 d, vec3 lo, vec3 hi) {
  vec3 safe = sign(d) * max(abs(d), vec3(1e-8)) + vec3(equal(d, vec3(0.0))) * 1e-8;
  vec3 inv = 1.0 / safe;
  vec3 t1 = (lo - o) * inv;
  vec3 t2 = (hi - o) * inv;
  vec3 tmin = min(t1, t2);
  vec3 tmax = max(t1, t2);
  float tn = max(max(tmin.x, tmin.y), tmin.z);
  float tf = min(min(tmax.x, tmax.y), tmax.z);
  float axis = tn == tmin.x ? 0.0 : (tn == tmin.y ? 1.0 : 2.0);
  return vec3(max(tn, 0.0), tf, axis);
}

float valueAt(vec3 t) {
  return min(texture(uVolume, t).r * uValueScale, 1.0);
}

// Gradient of the value in physical units. Grey: central differences one
// voxel apart. Labels (nearest filtering, 0/1 steps): a 3x3x3 Sobel-like
// stencil (weights 1 / |offset|^2), whose 26 directions give smoother normals.
vec3 gradientAt(vec3 t) {
  vec3 h = 1.0 / uTexShape;
  vec3 g = vec3(0.0);
  if (uSmoothGradient) {
    for (int k = -1; k <= 1; k++) {
      for (int j = -1; j <= 1; j++) {
        for (int i = -1; i <= 1; i++) {
          if (i == 0 && j == 0 && k == 0) continue;
          vec3 c = vec3(float(i), float(j), float(k));
          g += c / dot(c, c) * valueAt(t + c * h);
        }
      }
    }
  } else {
    g.x = valueAt(t + vec3(h.x, 0.0, 0.0)) - valueAt(t - vec3(h.x, 0.0, 0.0));
    g.y = valueAt(t + vec3(0.0, h.y, 0.0)) - valueAt(t - vec3(0.0, h.y, 0.0));
    g.z = valueAt(t + vec3(0.0, 0.0, h.z)) - valueAt(t - vec3(0.0, 0.0, h.z));
  }
  return g / (2.0 * h * uBox);
}

// Cheap per-pixel jitter of the first sample against wood-grain artefacts.
float jitter() {
  return fract(sin(dot(gl_FragCoord.xy, vec2(12.9898, 78.233))) * 43758.5453);
}

vec3 shade(vec3 normalPhys, vec3 viewPhys) {
  vec3 n = normalize(normalPhys);
  vec3 v = normalize(viewPhys);      // towards the camera; the light sits at the camera
  float lambert = abs(dot(n, v));
  float spec = pow(lambert, 40.0);
  return uColour * (0.2 + 0.8 * lambert) + vec3(0.25 * spec);
}

void main() {
  vec3 o = uCamLocal + 0.5;                       // texture coordinates
  vec3 d = normalize(vLocal - uCamLocal);
  vec3 hit = hitBox(o, d, uClipMin, uClipMax);
  float tNear = hit.x;
  float tFar = hit.y;
  if (tNear >= tFar) discard;

  float voxels = length((tFar - tNear) * d * uTexShape);
  int steps = int(clamp(ceil(voxels * uSamplesPerVoxel), 1.0, float(MAX_STEPS)));
  float dt = (tFar - tNear) / float(steps);
  vec3 viewPhys = -d * uBox;                      // direction to the eye, in physical units

  if (uMode == 0) {
    // Front-to-back compositing; opacity is per voxel, corrected for the step length.
    float voxelsPerStep = voxels / float(steps);
    float width = max(uHigh - uLow, 1e-6);
    vec4 acc = vec4(0.0);
    float t = tNear + dt * jitter();
    for (int i = 0; i < MAX_STEPS; i++) {
      if (i >= steps || acc.a >= 0.99) break;
      float w = clamp((valueAt(o + t * d) - uLow) / width, 0.0, 1.0);
      float a = 1.0 - pow(1.0 - clamp(w * uOpacity, 0.0, 0.999), voxelsPerStep);
      acc.rgb += (1.0 - acc.a) * a * uColour * w;
      acc.a += (1.0 - acc.a) * a;
      t += dt;
    }
    if (acc.a <= 0.002) discard;
    fragColor = acc;                              // premultiplied
    return;
  }

  // Isosurface: the first sample at or above the level.
  float first = valueAt(o + tNear * d);
  if (first >= uIso) {
    // The ray enters in solid at a clip face: shade the cut flat with the face normal.
    vec3 nrm = vec3(0.0);
    int axis = int(hit.z);
    nrm[axis] = 1.0 / uBox[axis];
    fragColor = vec4(shade(nrm, viewPhys) * 0.9 * uOpacity, uOpacity);
    return;
  }
  float tPrev = tNear;
  float t = tNear + dt;
  for (int i = 0; i < MAX_STEPS; i++) {
    if (i >= steps) break;
    float v = valueAt(o + t * d);
    if (v >= uIso) {
      // Bisection between the last sample below and this one.
      float a = tPrev;
      float b = t;
      for (int k = 0; k < 6; k++) {
        float m = 0.5 * (a + b);
        if (valueAt(o + m * d) >= uIso) b = m; else a = m;
      }
      vec3 p = o + b * d;
      vec3 g = gradientAt(p);
      if (dot(g, g) < 1e-12) g = d;               // flat neighbourhood: face the viewer
      fragColor = vec4(shade(-g, viewPhys) * uOpacity, uOpacity);
      return;
    }
    tPrev = t;
    t += dt;
  }
  discard;
}
`;
