// The room and its products: flat colours lit by one soft directional light, ambient light and
// the smart lights placed in the room; glowing parts add their own light.

const MAX_LIGHTS: u32 = 8u;

struct Uniforms {
    view_projection: mat4x4<f32>,
    // xyz: direction towards the light; w: ambient share.
    light: vec4<f32>,
    // x: exposure matching the photo's brightness (1 without a photo); y: point lights in use.
    exposure: vec4<f32>,
    // The wall (normal, offset); the floor's light stops behind it. All zero without a wall.
    wall: vec4<f32>,
    // Point lights: position, then colour × intensity.
    lights: array<vec4<f32>, 16>,
};

@group(0) @binding(0) var<uniform> u: Uniforms;

struct VertexOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) normal: vec3<f32>,
    @location(1) colour: vec3<f32>,
    @location(2) emission: vec3<f32>,
    @location(3) world: vec3<f32>,
};

@vertex
fn vs_main(
    @location(0) position: vec3<f32>,
    @location(1) normal: vec3<f32>,
    @location(2) colour: vec3<f32>,
    @location(3) emission: vec3<f32>,
) -> VertexOut {
    var out: VertexOut;
    out.clip = u.view_projection * vec4<f32>(position, 1.0);
    out.normal = normal;
    out.colour = colour;
    out.emission = emission;
    out.world = position;
    return out;
}

// Light from the point lights reaching a surface at `world` facing `normal`.
fn point_light(world: vec3<f32>, normal: vec3<f32>) -> vec3<f32> {
    var total = vec3<f32>(0.0);
    let count = min(u32(u.exposure.y), MAX_LIGHTS);
    for (var i = 0u; i < count; i = i + 1u) {
        let to_light = u.lights[2u * i].xyz - world;
        let distance2 = dot(to_light, to_light);
        let facing = max(dot(normal, normalize(to_light)), 0.0);
        // Inverse square, softened near the bulb so it never blows up.
        total = total + u.lights[2u * i + 1u].rgb * facing / (distance2 + 0.12);
    }
    return total;
}

@fragment
fn fs_main(in: VertexOut) -> @location(0) vec4<f32> {
    let normal = normalize(in.normal);
    let diffuse = max(dot(normal, normalize(u.light.xyz)), 0.0);
    let shade = u.light.w + (1.0 - u.light.w) * diffuse;
    let lit = in.colour * (shade * u.exposure.x + point_light(in.world, normal));
    return vec4<f32>(lit + in.emission, 1.0);
}

// The photo's floor and wall catching the lamps' light: blended as photo × (1 + light). The
// floor's light stops at the wall, so it never shows through it.
@fragment
fn fs_catch(in: VertexOut) -> @location(0) vec4<f32> {
    let normal = normalize(in.normal);
    let on_floor = normal.y > 0.5;
    if (on_floor && dot(u.wall.xyz, u.wall.xyz) > 0.0 && dot(u.wall.xyz, in.world) + u.wall.w < 0.0) {
        discard;
    }
    return vec4<f32>(point_light(in.world, normal), 1.0);
}

// Areas drawn on the floor (a camera's field of view, a sensor's range): the colour, unlit and
// translucent, so the photo's floor shows through.
@fragment
fn fs_overlay(in: VertexOut) -> @location(0) vec4<f32> {
    return vec4<f32>(in.colour, 0.35);
}

struct ShadowOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) local: vec2<f32>,
    @location(1) half_size: vec2<f32>,
    @location(2) softness: vec2<f32>,
};

@vertex
fn vs_shadow(
    @location(0) position: vec3<f32>,
    @location(1) local: vec2<f32>,
    @location(2) half_size: vec2<f32>,
    @location(3) softness: vec2<f32>,
) -> ShadowOut {
    var out: ShadowOut;
    out.clip = u.view_projection * vec4<f32>(position, 1.0);
    out.local = local;
    out.half_size = half_size;
    out.softness = softness;
    return out;
}

// A soft contact shadow: darkest under the footprint, fading over `softness.x` metres around it.
// Blended as below × shadow.
@fragment
fn fs_shadow(in: ShadowOut) -> @location(0) vec4<f32> {
    // A rounded rectangle: round products (most of them) get a round shadow.
    let radius = min(in.half_size.x, in.half_size.y);
    let q = abs(in.local) - in.half_size + vec2<f32>(radius);
    let outside = length(max(q, vec2<f32>(0.0))) + min(max(q.x, q.y), 0.0) - radius;
    let blur = max(in.softness.x, 0.001);
    let darkness = in.softness.y * (1.0 - smoothstep(-0.5 * blur, blur, outside));
    return vec4<f32>(vec3<f32>(1.0 - darkness), 1.0);
}
