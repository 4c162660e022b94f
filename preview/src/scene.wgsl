// The room and its products: flat colours lit by one soft directional light and ambient light.

struct Uniforms {
    view_projection: mat4x4<f32>,
    // xyz: direction towards the light; w: ambient share.
    light: vec4<f32>,
    // x: exposure matching the photo's brightness (1 without a photo); yzw: unused.
    exposure: vec4<f32>,
};

@group(0) @binding(0) var<uniform> u: Uniforms;

struct VertexOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) normal: vec3<f32>,
    @location(1) colour: vec3<f32>,
};

@vertex
fn vs_main(@location(0) position: vec3<f32>, @location(1) normal: vec3<f32>, @location(2) colour: vec3<f32>) -> VertexOut {
    var out: VertexOut;
    out.clip = u.view_projection * vec4<f32>(position, 1.0);
    out.normal = normal;
    out.colour = colour;
    return out;
}

@fragment
fn fs_main(in: VertexOut) -> @location(0) vec4<f32> {
    let diffuse = max(dot(normalize(in.normal), normalize(u.light.xyz)), 0.0);
    let shade = u.light.w + (1.0 - u.light.w) * diffuse;
    return vec4<f32>(in.colour * shade * u.exposure.x, 1.0);
}

// Areas drawn on the floor (a camera's field of view, a sensor's range): the colour, unlit and
// translucent, so the photo's floor shows through.
@fragment
fn fs_overlay(in: VertexOut) -> @location(0) vec4<f32> {
    return vec4<f32>(in.colour, 0.35);
}
