//! The renderer: draws a [`Scene`] (the room photo or the demo room's geometry, and true-to-scale
//! product models) from the calibrated [`Camera`] into a texture the caller owns, with 4× MSAA and
//! a depth buffer. Over a photo it adds what the photo cannot show: soft contact shadows under and
//! behind products, a smart lamp's light falling on the floor and the wall, and the floor a camera
//! sees or a sensor covers. It never owns a window: the shell renders offscreen and serves the frames, and
//! tests render headless on Mesa's lavapipe.

use std::sync::Arc;

use nalgebra::{Matrix4, Point2, Point3, Vector3};
use wgpu::util::DeviceExt;

use crate::geometry::{Camera, Plane};
use crate::models::{Mount, Product};

/// The colour format the renderer draws in.
pub const FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8UnormSrgb;
const DEPTH: wgpu::TextureFormat = wgpu::TextureFormat::Depth32Float;
const SAMPLES: u32 = 4;
const NEAR_M: f32 = 0.05;
const FAR_M: f32 = 100.0;
/// Most lights a frame is lit by (a lamp is one, a light strip three); further ones are left out.
pub const MAX_LIGHTS: usize = 8;

/// Why rendering cannot start.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// No GPU or software renderer is available.
    #[error("no graphics adapter is available: {0}")]
    NoAdapter(String),
    /// The adapter refused a device.
    #[error("the graphics device could not be opened: {0}")]
    Device(String),
    /// Reading the frame back failed.
    #[error("reading the frame back failed: {0}")]
    Readback(String),
}

/// A box standing on the floor: a product's bounding volume, or a wall's slab.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Block {
    /// The centre of its footprint on the floor, in metres.
    pub base: Point3<f32>,
    /// Width (x), height (y) and depth (z), in metres.
    pub size: Vector3<f32>,
    /// Turn about the vertical axis, in radians.
    pub yaw: f32,
    /// Linear RGB colour.
    pub colour: [f32; 3],
}

/// An area on the floor around a device: a camera's field of view (a wedge as wide as its lens)
/// or a motion sensor's range (a wider wedge, or a full circle).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FloorArea {
    /// The floor point under the device, in metres.
    pub apex: Point3<f32>,
    /// Which way it faces, as a turn about the vertical axis (0: along +Z), in radians.
    pub heading: f32,
    /// Half the opening angle, in radians (π for a full circle).
    pub half_angle: f32,
    /// How far it reaches, in metres.
    pub range_m: f32,
    /// Linear RGB colour.
    pub colour: [f32; 3],
}

/// A smart light's setting: its colour (linear RGB) and brightness (0 to 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LampLight {
    /// Linear RGB, each 0 to 1.
    pub colour: [f32; 3],
    /// 0 (dim) to 1 (full).
    pub brightness: f32,
}

/// A product placed in the room.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// What it is, with its model.
    pub product: Arc<Product>,
    /// Floor products: the centre of their base on the floor. Wall products: the centre of
    /// their back on the wall. Metres.
    pub position: Point3<f32>,
    /// Turn about the vertical axis (0: the front faces +Z), in radians. Wall products face
    /// along the wall's normal.
    pub yaw: f32,
    /// Its light when it gives light and is on.
    pub light: Option<LampLight>,
}

impl Placed {
    /// From the model's frame to the world.
    fn place(&self, p: [f32; 3]) -> [f32; 3] {
        let (sin, cos) = self.yaw.sin_cos();
        let [x, y, z] = p;
        [self.position.x + x * cos + z * sin, self.position.y + y, self.position.z - x * sin + z * cos]
    }

    /// A direction from the model's frame to the world.
    fn turn(&self, n: [f32; 3]) -> [f32; 3] {
        let (sin, cos) = self.yaw.sin_cos();
        [n[0] * cos + n[2] * sin, n[1], -n[0] * sin + n[2] * cos]
    }

    /// The floor area it watches or senses, if any: from the floor under it, facing its front.
    pub fn floor_area(&self) -> Option<FloorArea> {
        let view = self.product.floor_view?;
        Some(FloorArea {
            apex: Point3::new(self.position.x, 0.0, self.position.z),
            heading: self.yaw,
            half_angle: view.half_angle_deg.to_radians(),
            range_m: view.range_m,
            colour: view.colour,
        })
    }
}

/// What to draw and from where.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    /// The camera (from calibration, or the demo room's).
    pub camera: Camera,
    /// The image size the camera was calibrated for, in pixels.
    pub image_size: (u32, u32),
    /// The boxes to draw (the demo room's floor, walls and furniture).
    pub blocks: Vec<Block>,
    /// The products placed in the room.
    pub products: Vec<Placed>,
    /// The wall the user marked (or the demo room's back wall): lamps light it and wall
    /// products cast their shadows on it.
    pub wall: Option<Plane>,
    /// Areas drawn on the floor, translucent, besides those of the products.
    pub areas: Vec<FloorArea>,
    /// Colour behind everything (linear RGB), where there is no photo.
    pub background: [f32; 3],
    /// The room photo the camera was calibrated on, drawn behind everything; products are lit to
    /// match its brightness ([`exposure_for`]).
    pub photo: Option<std::sync::Arc<image::RgbaImage>>,
}

/// Longest side of a photo kept as the background texture (every GPU and lavapipe take 8192).
pub const MAX_PHOTO_SIDE: u32 = 8192;

/// A room photo from the user's bytes: JPEG, PNG or WebP by content, upright from its EXIF
/// orientation, refused with a plain reason when it is not an image, is damaged or would decode
/// too large; scaled down to [`MAX_PHOTO_SIDE`] if larger.
pub fn room_photo(bytes: &[u8]) -> Result<image::RgbaImage, hearth_core::images::DecodeError> {
    let image = hearth_core::images::decode_upright(bytes)?;
    let image = if image.width() > MAX_PHOTO_SIDE || image.height() > MAX_PHOTO_SIDE {
        image.resize(MAX_PHOTO_SIDE, MAX_PHOTO_SIDE, image::imageops::FilterType::Triangle)
    } else {
        image
    };
    Ok(image.into_rgba8())
}

impl Scene {
    /// A 4 m × 3.5 m room with a floor, three walls and a sofa-sized box, seen from a phone held
    /// at 1.5 m near its open side: what the preview shows before the user has a photo.
    pub fn demo_room(width: u32, height: u32) -> Self {
        let (w, h) = (f64::from(width), f64::from(height));
        let (yaw, pitch) = (0.35f64, 0.45f64);
        let forward = Vector3::new(yaw.sin() * pitch.cos(), -pitch.sin(), yaw.cos() * pitch.cos());
        let x = forward.cross(&Vector3::y()).normalize();
        let y = forward.cross(&x);
        let rotation = nalgebra::Rotation3::from_matrix_unchecked(
            nalgebra::Matrix3::from_columns(&[x, y, forward]).transpose(),
        );
        let centre = Point3::new(0.6, 1.5, 0.3);
        let camera = Camera {
            focal_px: 0.8 * w.max(h),
            principal: Point2::new(w / 2.0, h / 2.0),
            rotation,
            translation: -(rotation * centre.coords),
        };
        let wall = [0.86, 0.83, 0.78];
        let blocks = vec![
            Block {
                base: Point3::new(2.0, -0.02, 1.75),
                size: Vector3::new(4.0, 0.02, 3.5),
                yaw: 0.0,
                colour: [0.55, 0.42, 0.30],
            },
            Block {
                base: Point3::new(2.0, 0.0, 3.55),
                size: Vector3::new(4.0, 2.6, 0.1),
                yaw: 0.0,
                colour: wall,
            },
            Block {
                base: Point3::new(4.05, 0.0, 1.75),
                size: Vector3::new(0.1, 2.6, 3.5),
                yaw: 0.0,
                colour: wall,
            },
            Block {
                base: Point3::new(-0.05, 0.0, 1.75),
                size: Vector3::new(0.1, 2.6, 3.5),
                yaw: 0.0,
                colour: wall,
            },
            Block {
                base: Point3::new(2.2, 0.0, 3.0),
                size: Vector3::new(2.0, 0.85, 0.9),
                yaw: 0.0,
                colour: [0.25, 0.35, 0.55],
            },
        ];
        Scene {
            camera,
            image_size: (width, height),
            blocks,
            products: Vec::new(),
            wall: Some(Plane { point: Point3::new(0.0, 0.0, 3.5), normal: -Vector3::z() }),
            areas: Vec::new(),
            background: [0.95, 0.93, 0.90],
            photo: None,
        }
    }
}

#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct Vertex {
    position: [f32; 3],
    normal: [f32; 3],
    colour: [f32; 3],
    emission: [f32; 3],
}

impl Vertex {
    fn matte(position: [f32; 3], normal: [f32; 3], colour: [f32; 3]) -> Self {
        Vertex { position, normal, colour, emission: [0.0; 3] }
    }
}

/// A corner of a soft contact shadow: where it is, and where within the shadow's rectangle.
#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct ShadowVertex {
    position: [f32; 3],
    /// Position in the shadow's own frame, metres from its centre.
    local: [f32; 2],
    /// Half the footprint's size.
    half: [f32; 2],
    /// x: how far the edge fades, in metres; y: darkness at the centre (0 to 1).
    softness: [f32; 2],
}

#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct Uniforms {
    view_projection: [[f32; 4]; 4],
    light: [f32; 4],
    /// x: exposure; y: number of point lights.
    exposure: [f32; 4],
    /// The wall plane (normal, offset) the floor's light stops at; all zero without a wall.
    wall: [f32; 4],
    /// Point lights: position (w unused), then colour × intensity.
    lights: [[f32; 4]; 2 * MAX_LIGHTS],
}

/// The GPU objects that outlive one frame.
#[derive(Debug)]
pub struct Renderer {
    device: wgpu::Device,
    queue: wgpu::Queue,
    pipeline: wgpu::RenderPipeline,
    layout: wgpu::BindGroupLayout,
    background: wgpu::RenderPipeline,
    background_layout: wgpu::BindGroupLayout,
    catch: wgpu::RenderPipeline,
    shadow: wgpu::RenderPipeline,
    overlay: wgpu::RenderPipeline,
    sampler: wgpu::Sampler,
    adapter_name: String,
    /// What interactive updates reuse from frame to frame: the multisampled attachments for the
    /// last size, and the last photo's texture (a 4K photo is 33 MB to upload).
    reuse: std::sync::Mutex<Reuse>,
}

#[derive(Debug, Default)]
struct Reuse {
    attachments: Option<((u32, u32), wgpu::TextureView, wgpu::TextureView)>,
    photo: Option<(std::sync::Arc<image::RgbaImage>, wgpu::BindGroup)>,
}

impl Renderer {
    /// Opens the first adapter available (a GPU, or lavapipe on a machine without one).
    pub async fn new() -> Result<Self, RenderError> {
        let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions::default())
            .await
            .map_err(|e| RenderError::NoAdapter(e.to_string()))?;
        let adapter_name = adapter.get_info().name;
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor { label: Some("hearth-preview"), ..Default::default() })
            .await
            .map_err(|e| RenderError::Device(e.to_string()))?;
        let shader = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("scene"),
            source: wgpu::ShaderSource::Wgsl(include_str!("scene.wgsl").into()),
        });
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("uniforms"),
            entries: &[wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::VERTEX_FRAGMENT,
                ty: wgpu::BindingType::Buffer {
                    ty: wgpu::BufferBindingType::Uniform,
                    has_dynamic_offset: false,
                    min_binding_size: None,
                },
                count: None,
            }],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("scene"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let attributes =
            wgpu::vertex_attr_array![0 => Float32x3, 1 => Float32x3, 2 => Float32x3, 3 => Float32x3];
        let scene_vertices = wgpu::VertexBufferLayout {
            array_stride: std::mem::size_of::<Vertex>() as u64,
            step_mode: wgpu::VertexStepMode::Vertex,
            attributes: &attributes,
        };
        let shadow_attributes =
            wgpu::vertex_attr_array![0 => Float32x3, 1 => Float32x2, 2 => Float32x2, 3 => Float32x2];
        let shadow_vertices = wgpu::VertexBufferLayout {
            array_stride: std::mem::size_of::<ShadowVertex>() as u64,
            step_mode: wgpu::VertexStepMode::Vertex,
            attributes: &shadow_attributes,
        };
        // Opaque geometry writes depth; everything laid over it (light on the photo, shadows,
        // floor areas) is depth-tested against it but writes none, each with its own blend.
        let pipeline_for = |label,
                            vertex_entry,
                            buffers: &wgpu::VertexBufferLayout<'_>,
                            fragment_entry,
                            blend: Option<wgpu::BlendState>| {
            device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some(label),
                layout: Some(&pipeline_layout),
                vertex: wgpu::VertexState {
                    module: &shader,
                    entry_point: Some(vertex_entry),
                    compilation_options: Default::default(),
                    buffers: &[Some(buffers.clone())],
                },
                // Models are closed and depth-tested, overlays are flat: no culling, so no
                // winding convention to get wrong.
                primitive: wgpu::PrimitiveState::default(),
                depth_stencil: Some(wgpu::DepthStencilState {
                    format: DEPTH,
                    depth_write_enabled: Some(blend.is_none()),
                    depth_compare: Some(wgpu::CompareFunction::LessEqual),
                    stencil: Default::default(),
                    bias: Default::default(),
                }),
                multisample: wgpu::MultisampleState { count: SAMPLES, ..Default::default() },
                fragment: Some(wgpu::FragmentState {
                    module: &shader,
                    entry_point: Some(fragment_entry),
                    compilation_options: Default::default(),
                    targets: &[Some(wgpu::ColorTargetState {
                        format: FORMAT,
                        blend,
                        write_mask: wgpu::ColorWrites::ALL,
                    })],
                }),
                multiview_mask: None,
                cache: None,
            })
        };
        // Light falling on the photo: photo × (1 + light).
        let brighten = wgpu::BlendComponent {
            src_factor: wgpu::BlendFactor::Dst,
            dst_factor: wgpu::BlendFactor::One,
            operation: wgpu::BlendOperation::Add,
        };
        // Shadows darken whatever is beneath: below × shadow.
        let darken = wgpu::BlendComponent {
            src_factor: wgpu::BlendFactor::Zero,
            dst_factor: wgpu::BlendFactor::Src,
            operation: wgpu::BlendOperation::Add,
        };
        let pipeline = pipeline_for("scene", "vs_main", &scene_vertices, "fs_main", None);
        let catch = pipeline_for(
            "light on the photo",
            "vs_main",
            &scene_vertices,
            "fs_catch",
            Some(wgpu::BlendState { color: brighten, alpha: wgpu::BlendComponent::REPLACE }),
        );
        let shadow = pipeline_for(
            "contact shadows",
            "vs_shadow",
            &shadow_vertices,
            "fs_shadow",
            Some(wgpu::BlendState { color: darken, alpha: wgpu::BlendComponent::REPLACE }),
        );
        let overlay = pipeline_for(
            "floor areas",
            "vs_main",
            &scene_vertices,
            "fs_overlay",
            Some(wgpu::BlendState::ALPHA_BLENDING),
        );
        let (background, background_layout) = background_pipeline(&device);
        let sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("photo"),
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });
        Ok(Self {
            device,
            queue,
            pipeline,
            layout,
            background,
            background_layout,
            catch,
            shadow,
            overlay,
            sampler,
            adapter_name,
            reuse: Default::default(),
        })
    }

    /// The adapter's name (a GPU's, or `llvmpipe` for lavapipe), for benchmark reports.
    pub fn adapter_name(&self) -> &str {
        &self.adapter_name
    }

    /// Draws `scene` into `target` (a [`FORMAT`] texture of `width`×`height`).
    pub fn render(&self, target: &wgpu::TextureView, width: u32, height: u32, scene: &Scene) {
        // One vertex buffer: opaque geometry, then light on the photo, then floor areas.
        let mut vertices = scene.blocks.iter().flat_map(block_vertices).collect::<Vec<_>>();
        vertices.extend(scene.products.iter().flat_map(product_vertices));
        let opaque = vertices.len() as u32;
        if scene.photo.is_some() {
            vertices.extend(catch_vertices(scene));
        }
        let caught = vertices.len() as u32;
        let areas = scene.areas.iter().copied().chain(scene.products.iter().filter_map(Placed::floor_area));
        vertices.extend(areas.flat_map(|area| area_vertices(&area)));
        let all = vertices.len() as u32;
        let vertex_buffer = self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("vertices"),
            contents: bytemuck::cast_slice(&vertices),
            usage: wgpu::BufferUsages::VERTEX,
        });
        let shadows = scene
            .products
            .iter()
            .flat_map(|placed| shadow_vertices(placed, scene.wall.as_ref()))
            .collect::<Vec<_>>();
        let shadow_buffer = (!shadows.is_empty()).then(|| {
            self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some("shadows"),
                contents: bytemuck::cast_slice(&shadows),
                usage: wgpu::BufferUsages::VERTEX,
            })
        });
        let light = Vector3::new(-0.4f32, 1.0, -0.3).normalize();
        let (light_count, lights) = point_lights(scene);
        let wall = scene.wall.map_or([0.0; 4], |wall| {
            let n = wall.normal.cast::<f32>();
            [n.x, n.y, n.z, -n.dot(&wall.point.coords.cast::<f32>())]
        });
        let uniforms = Uniforms {
            view_projection: view_projection(scene, width, height).into(),
            light: [light.x, light.y, light.z, 0.35],
            exposure: [scene.photo.as_deref().map_or(1.0, exposure_for), light_count as f32, 0.0, 0.0],
            wall,
            lights,
        };
        let uniform_buffer = self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("uniforms"),
            contents: bytemuck::bytes_of(&uniforms),
            usage: wgpu::BufferUsages::UNIFORM,
        });
        let bind_group = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("uniforms"),
            layout: &self.layout,
            entries: &[wgpu::BindGroupEntry { binding: 0, resource: uniform_buffer.as_entire_binding() }],
        });
        let (msaa, depth, photo) = {
            let mut reuse = self.reuse.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let (msaa, depth) = match &reuse.attachments {
                Some((size, msaa, depth)) if *size == (width, height) => (msaa.clone(), depth.clone()),
                _ => {
                    let msaa = self.attachment(FORMAT, "msaa", width, height);
                    let depth = self.attachment(DEPTH, "depth", width, height);
                    reuse.attachments = Some(((width, height), msaa.clone(), depth.clone()));
                    (msaa, depth)
                }
            };
            let photo = scene.photo.as_ref().map(|photo| match &reuse.photo {
                Some((last, bind_group)) if std::sync::Arc::ptr_eq(last, photo) => bind_group.clone(),
                _ => {
                    let bind_group = self.photo_bind_group(photo);
                    reuse.photo = Some((photo.clone(), bind_group.clone()));
                    bind_group
                }
            });
            (msaa, depth, photo)
        };
        let [r, g, b] = scene.background.map(f64::from);
        let mut encoder = self.device.create_command_encoder(&Default::default());
        {
            let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("scene"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: &msaa,
                    depth_slice: None,
                    resolve_target: Some(target),
                    ops: wgpu::Operations {
                        load: wgpu::LoadOp::Clear(wgpu::Color { r, g, b, a: 1.0 }),
                        store: wgpu::StoreOp::Discard,
                    },
                })],
                depth_stencil_attachment: Some(wgpu::RenderPassDepthStencilAttachment {
                    view: &depth,
                    depth_ops: Some(wgpu::Operations {
                        load: wgpu::LoadOp::Clear(1.0),
                        store: wgpu::StoreOp::Discard,
                    }),
                    stencil_ops: None,
                }),
                timestamp_writes: None,
                occlusion_query_set: None,
                multiview_mask: None,
            });
            if let Some(photo) = &photo {
                pass.set_pipeline(&self.background);
                pass.set_bind_group(0, photo, &[]);
                pass.draw(0..3, 0..1);
            }
            pass.set_pipeline(&self.pipeline);
            pass.set_bind_group(0, &bind_group, &[]);
            pass.set_vertex_buffer(0, vertex_buffer.slice(..));
            pass.draw(0..opaque, 0..1);
            if caught > opaque {
                pass.set_pipeline(&self.catch);
                pass.draw(opaque..caught, 0..1);
            }
            if let Some(shadow_buffer) = &shadow_buffer {
                pass.set_pipeline(&self.shadow);
                pass.set_vertex_buffer(0, shadow_buffer.slice(..));
                pass.draw(0..shadows.len() as u32, 0..1);
                pass.set_vertex_buffer(0, vertex_buffer.slice(..));
            }
            if all > caught {
                pass.set_pipeline(&self.overlay);
                pass.draw(caught..all, 0..1);
            }
        }
        self.queue.submit([encoder.finish()]);
    }

    /// A multisampled attachment of `format` at `width`×`height`.
    fn attachment(
        &self,
        format: wgpu::TextureFormat,
        label: &str,
        width: u32,
        height: u32,
    ) -> wgpu::TextureView {
        self.device
            .create_texture(&wgpu::TextureDescriptor {
                label: Some(label),
                size: wgpu::Extent3d { width, height, depth_or_array_layers: 1 },
                mip_level_count: 1,
                sample_count: SAMPLES,
                dimension: wgpu::TextureDimension::D2,
                format,
                usage: wgpu::TextureUsages::RENDER_ATTACHMENT,
                view_formats: &[],
            })
            .create_view(&Default::default())
    }

    /// The photo as a texture, bound for the background pipeline.
    fn photo_bind_group(&self, photo: &image::RgbaImage) -> wgpu::BindGroup {
        let size = wgpu::Extent3d { width: photo.width(), height: photo.height(), depth_or_array_layers: 1 };
        let texture = self.device.create_texture_with_data(
            &self.queue,
            &wgpu::TextureDescriptor {
                label: Some("photo"),
                size,
                mip_level_count: 1,
                sample_count: 1,
                dimension: wgpu::TextureDimension::D2,
                format: wgpu::TextureFormat::Rgba8UnormSrgb,
                usage: wgpu::TextureUsages::TEXTURE_BINDING,
                view_formats: &[],
            },
            wgpu::util::TextureDataOrder::LayerMajor,
            photo.as_raw(),
        );
        self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("photo"),
            layout: &self.background_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(&texture.create_view(&Default::default())),
                },
                wgpu::BindGroupEntry { binding: 1, resource: wgpu::BindingResource::Sampler(&self.sampler) },
            ],
        })
    }

    /// The share image: `scene` rendered at its photo's full resolution (the calibration size
    /// without a photo), as a PNG.
    pub fn export_png(&self, scene: &Scene) -> Result<Vec<u8>, RenderError> {
        let (width, height) = scene.photo.as_ref().map_or(scene.image_size, |p| (p.width(), p.height()));
        let frame = self.render_image(scene, width, height)?;
        let mut png = Vec::new();
        frame
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .map_err(|e| RenderError::Readback(format!("encoding the share image: {e}")))?;
        Ok(png)
    }

    /// Renders `scene` offscreen at `width`×`height` and reads it back as an image.
    pub fn render_image(
        &self,
        scene: &Scene,
        width: u32,
        height: u32,
    ) -> Result<image::RgbaImage, RenderError> {
        let texture = self.device.create_texture(&wgpu::TextureDescriptor {
            label: Some("frame"),
            size: wgpu::Extent3d { width, height, depth_or_array_layers: 1 },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: FORMAT,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
            view_formats: &[],
        });
        self.render(&texture.create_view(&Default::default()), width, height, scene);
        // Rows of a copy are padded to 256 bytes.
        let row = width * 4;
        let padded = row.div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT) * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
        let buffer = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("readback"),
            size: u64::from(padded) * u64::from(height),
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        let mut encoder = self.device.create_command_encoder(&Default::default());
        encoder.copy_texture_to_buffer(
            wgpu::TexelCopyTextureInfo {
                texture: &texture,
                mip_level: 0,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            wgpu::TexelCopyBufferInfo {
                buffer: &buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(padded),
                    rows_per_image: Some(height),
                },
            },
            wgpu::Extent3d { width, height, depth_or_array_layers: 1 },
        );
        self.queue.submit([encoder.finish()]);
        let (sender, receiver) = std::sync::mpsc::channel();
        buffer.map_async(wgpu::MapMode::Read, .., move |result| {
            let _ = sender.send(result);
        });
        self.device
            .poll(wgpu::PollType::Wait { submission_index: None, timeout: None })
            .map_err(|e| RenderError::Readback(e.to_string()))?;
        receiver
            .recv()
            .map_err(|e| RenderError::Readback(e.to_string()))?
            .map_err(|e| RenderError::Readback(e.to_string()))?;
        let data = buffer.get_mapped_range(..).map_err(|e| RenderError::Readback(e.to_string()))?;
        let mut pixels = Vec::with_capacity((row * height) as usize);
        for y in 0..height as usize {
            let start = y * padded as usize;
            pixels.extend_from_slice(&data[start..start + row as usize]);
        }
        drop(data);
        buffer.unmap();
        image::RgbaImage::from_raw(width, height, pixels)
            .ok_or_else(|| RenderError::Readback("short frame".into()))
    }
}

/// The pipeline that draws the photo behind the scene (no depth written, so the scene's boxes
/// always draw over it).
fn background_pipeline(device: &wgpu::Device) -> (wgpu::RenderPipeline, wgpu::BindGroupLayout) {
    let shader = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some("background"),
        source: wgpu::ShaderSource::Wgsl(include_str!("background.wgsl").into()),
    });
    let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
        label: Some("photo"),
        entries: &[
            wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::FRAGMENT,
                ty: wgpu::BindingType::Texture {
                    sample_type: wgpu::TextureSampleType::Float { filterable: true },
                    view_dimension: wgpu::TextureViewDimension::D2,
                    multisampled: false,
                },
                count: None,
            },
            wgpu::BindGroupLayoutEntry {
                binding: 1,
                visibility: wgpu::ShaderStages::FRAGMENT,
                ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
                count: None,
            },
        ],
    });
    let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some("background"),
        bind_group_layouts: &[Some(&layout)],
        immediate_size: 0,
    });
    let pipeline = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
        label: Some("background"),
        layout: Some(&pipeline_layout),
        vertex: wgpu::VertexState {
            module: &shader,
            entry_point: Some("vs_main"),
            compilation_options: Default::default(),
            buffers: &[],
        },
        primitive: wgpu::PrimitiveState::default(),
        depth_stencil: Some(wgpu::DepthStencilState {
            format: DEPTH,
            depth_write_enabled: Some(false),
            depth_compare: Some(wgpu::CompareFunction::Always),
            stencil: Default::default(),
            bias: Default::default(),
        }),
        multisample: wgpu::MultisampleState { count: SAMPLES, ..Default::default() },
        fragment: Some(wgpu::FragmentState {
            module: &shader,
            entry_point: Some("fs_main"),
            compilation_options: Default::default(),
            targets: &[Some(FORMAT.into())],
        }),
        multiview_mask: None,
        cache: None,
    });
    (pipeline, layout)
}

/// World to clip space for `scene`'s camera, drawing at `width`×`height` (the camera's
/// intrinsics scale with the output size, so an export at the photo's resolution matches).
fn view_projection(scene: &Scene, width: u32, height: u32) -> Matrix4<f32> {
    let c = &scene.camera;
    let scale = f64::from(width) / f64::from(scene.image_size.0.max(1));
    let (f, cx, cy) = (c.focal_px * scale, c.principal.x * scale, c.principal.y * scale);
    let (w, h) = (f64::from(width), f64::from(height));
    let (n, far) = (f64::from(NEAR_M), f64::from(FAR_M));
    // Camera space (x right, y down, z forward) to wgpu clip space (y up, depth 0..1).
    #[rustfmt::skip]
    let projection = nalgebra::Matrix4::new(
        2.0 * f / w, 0.0, 2.0 * cx / w - 1.0, 0.0,
        0.0, -2.0 * f / h, 1.0 - 2.0 * cy / h, 0.0,
        0.0, 0.0, far / (far - n), -far * n / (far - n),
        0.0, 0.0, 1.0, 0.0,
    );
    let mut view = nalgebra::Matrix4::identity();
    view.fixed_view_mut::<3, 3>(0, 0).copy_from(c.rotation.matrix());
    view.fixed_view_mut::<3, 1>(0, 3).copy_from(&c.translation);
    (projection * view).cast::<f32>()
}

/// How bright products should look over `photo`: its mean luminance against a mid-grey room,
/// within reason, so a box does not glow in a dim evening photo nor look grey in a sunny one.
pub fn exposure_for(photo: &image::RgbaImage) -> f32 {
    // Every 8th pixel both ways is plenty for a mean.
    let (mut sum, mut n) = (0.0f64, 0u64);
    for y in (0..photo.height()).step_by(8) {
        for x in (0..photo.width()).step_by(8) {
            let [r, g, b, _] = photo.get_pixel(x, y).0;
            // sRGB to linear, then luminance.
            let linear = |c: u8| (f64::from(c) / 255.0).powf(2.2);
            sum += 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
            n += 1;
        }
    }
    let mean = if n == 0 { 0.18 } else { sum / n as f64 };
    // 0.18: the mid-grey a correctly exposed room averages.
    ((mean / 0.18).powf(0.5) as f32).clamp(0.45, 1.25)
}

/// How strongly a light of brightness 1 lights a surface 1 m away, facing it.
const LIGHT_POWER: f32 = 0.25;

/// The scene's point lights for the shader: how many, and their positions and colours.
fn point_lights(scene: &Scene) -> (usize, [[f32; 4]; 2 * MAX_LIGHTS]) {
    let mut lights = [[0.0; 4]; 2 * MAX_LIGHTS];
    let mut count = 0;
    for placed in &scene.products {
        let Some(light) = placed.light else { continue };
        let share =
            LIGHT_POWER * light.brightness.clamp(0.0, 1.0) / placed.product.lights_m.len().max(1) as f32;
        for point in &placed.product.lights_m {
            if count == MAX_LIGHTS {
                return (count, lights);
            }
            let [x, y, z] = placed.place(*point);
            let [r, g, b] = light.colour.map(|c| c.clamp(0.0, 1.0) * share);
            lights[2 * count] = [x, y, z, 1.0];
            lights[2 * count + 1] = [r, g, b, 0.0];
            count += 1;
        }
    }
    (count, lights)
}

/// A placed product's triangles in the world. A light's glowing parts take its colour and
/// brightness, and go dark when it is off.
fn product_vertices(placed: &Placed) -> Vec<Vertex> {
    let gives_light = !placed.product.lights_m.is_empty();
    let mut out = Vec::new();
    for mesh in &placed.product.model.meshes {
        let glows = mesh.emission.iter().any(|&e| e > 0.0);
        let emission = match (gives_light && glows, placed.light) {
            (false, _) => mesh.emission,
            (true, Some(light)) => light.colour.map(|c| c * (0.35 + 0.65 * light.brightness.clamp(0.0, 1.0))),
            (true, None) => [0.0; 3],
        };
        let colour = if gives_light && glows && placed.light.is_none() { [0.8; 3] } else { mesh.colour };
        out.extend(mesh.indices.iter().map(|&i| {
            let i = i as usize;
            Vertex {
                position: placed.place(mesh.positions[i]),
                normal: placed.turn(mesh.normals[i]),
                colour,
                emission,
            }
        }));
    }
    out
}

/// The photo's floor and wall as invisible surfaces that take the lamps' light.
fn catch_vertices(scene: &Scene) -> Vec<Vertex> {
    let centre = scene.camera.centre().cast::<f32>();
    let reach = 20.0;
    let (x0, x1, z0, z1) = (centre.x - reach, centre.x + reach, centre.z - reach, centre.z + reach);
    let up = [0.0, 1.0, 0.0];
    let mut out: Vec<Vertex> =
        [[x0, 0.0, z0], [x1, 0.0, z0], [x1, 0.0, z1], [x0, 0.0, z0], [x1, 0.0, z1], [x0, 0.0, z1]]
            .into_iter()
            .map(|p| Vertex::matte(p, up, [0.0; 3]))
            .collect();
    if let Some(wall) = scene.wall {
        let n = wall.normal.cast::<f32>();
        let along = Vector3::y().cross(&n).normalize() * reach;
        let p = wall.point.cast::<f32>();
        let corner = |sign: f32, height: f32| {
            let c = p.coords + along * sign;
            [c.x, height, c.z]
        };
        let (a, b, c, d) = (corner(-1.0, 0.0), corner(1.0, 0.0), corner(1.0, 4.0), corner(-1.0, 4.0));
        out.extend([a, b, c, a, c, d].into_iter().map(|p| Vertex::matte(p, n.into(), [0.0; 3])));
    }
    out
}

/// A soft contact shadow for a placed product: on the floor beneath a floor product, on the
/// wall behind a wall product (none when there is no wall).
fn shadow_vertices(placed: &Placed, wall: Option<&Plane>) -> Vec<ShadowVertex> {
    let model = &placed.product.model;
    let size = model.size();
    let (min, max) = (model.min, model.max);
    // The shadow's centre and axes in the world, its half size, how soft and how dark.
    let (centre, axis_u, axis_v, half, blur, strength) = match placed.product.mount {
        Mount::Floor => {
            let centre = placed.place([(min.x + max.x) / 2.0, 0.002, (min.z + max.z) / 2.0]);
            let blur = 0.03 + 0.25 * size.y.min(0.5);
            (
                centre,
                placed.turn([1.0, 0.0, 0.0]),
                placed.turn([0.0, 0.0, 1.0]),
                [size.x / 2.0, size.z / 2.0],
                blur,
                0.6,
            )
        }
        Mount::Wall => {
            if wall.is_none() {
                return Vec::new();
            }
            let centre = placed.place([(min.x + max.x) / 2.0, (min.y + max.y) / 2.0, 0.002]);
            let blur = 0.01 + 0.5 * size.z.min(0.2);
            (centre, placed.turn([1.0, 0.0, 0.0]), [0.0, 1.0, 0.0], [size.x / 2.0, size.y / 2.0], blur, 0.45)
        }
    };
    let (eu, ev) = (half[0] + blur, half[1] + blur);
    let corner = |u: f32, v: f32| ShadowVertex {
        position: [0, 1, 2].map(|i| centre[i] + axis_u[i] * u + axis_v[i] * v),
        local: [u, v],
        half,
        softness: [blur, strength],
    };
    let (a, b, c, d) = (corner(-eu, -ev), corner(eu, -ev), corner(eu, ev), corner(-eu, ev));
    vec![a, b, c, a, c, d]
}

/// Segments of a floor area's arc.
const AREA_SEGMENTS: usize = 48;

/// A floor area as a fan of triangles just above the floor (so the floor never hides it).
fn area_vertices(area: &FloorArea) -> Vec<Vertex> {
    let lift = 0.003;
    let point = |angle: f32| {
        let heading = area.heading + angle;
        [area.apex.x + area.range_m * heading.sin(), lift, area.apex.z + area.range_m * heading.cos()]
    };
    let vertex = |position| Vertex::matte(position, [0.0, 1.0, 0.0], area.colour);
    let half = area.half_angle.clamp(0.0, std::f32::consts::PI);
    let step = 2.0 * half / AREA_SEGMENTS as f32;
    (0..AREA_SEGMENTS)
        .flat_map(|i| {
            let a = -half + step * i as f32;
            [vertex([area.apex.x, lift, area.apex.z]), vertex(point(a)), vertex(point(a + step))]
        })
        .collect()
}

/// The 36 vertices of a block's six faces, with outward normals.
fn block_vertices(block: &Block) -> Vec<Vertex> {
    let (hx, hz) = (block.size.x / 2.0, block.size.z / 2.0);
    let (sin, cos) = block.yaw.sin_cos();
    let place = |x: f32, y: f32, z: f32| {
        [block.base.x + x * cos + z * sin, block.base.y + y, block.base.z - x * sin + z * cos]
    };
    let turn = |n: [f32; 3]| [n[0] * cos + n[2] * sin, n[1], -n[0] * sin + n[2] * cos];
    let (y0, y1) = (0.0, block.size.y);
    // Each face: its normal and four corners in order around it, seen from outside.
    let faces: [([f32; 3], [[f32; 3]; 4]); 6] = [
        ([0.0, 1.0, 0.0], [[-hx, y1, -hz], [-hx, y1, hz], [hx, y1, hz], [hx, y1, -hz]]),
        ([0.0, -1.0, 0.0], [[-hx, y0, -hz], [hx, y0, -hz], [hx, y0, hz], [-hx, y0, hz]]),
        ([1.0, 0.0, 0.0], [[hx, y0, -hz], [hx, y1, -hz], [hx, y1, hz], [hx, y0, hz]]),
        ([-1.0, 0.0, 0.0], [[-hx, y0, -hz], [-hx, y0, hz], [-hx, y1, hz], [-hx, y1, -hz]]),
        ([0.0, 0.0, 1.0], [[-hx, y0, hz], [hx, y0, hz], [hx, y1, hz], [-hx, y1, hz]]),
        ([0.0, 0.0, -1.0], [[-hx, y0, -hz], [-hx, y1, -hz], [hx, y1, -hz], [hx, y0, -hz]]),
    ];
    let mut out = Vec::with_capacity(36);
    for (normal, corners) in faces {
        for i in [0, 1, 2, 0, 2, 3] {
            let [x, y, z] = corners[i];
            out.push(Vertex::matte(place(x, y, z), turn(normal), block.colour));
        }
    }
    out
}
