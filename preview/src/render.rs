//! The renderer: draws a [`Scene`] (the room's floor and walls, products as true-to-scale boxes
//! for now) from the calibrated [`Camera`] into a texture the caller owns, with 4× MSAA and a
//! depth buffer. It never owns a window: the shell renders offscreen and serves the frames, and
//! tests render headless on Mesa's lavapipe.

use nalgebra::{Matrix4, Point2, Point3, Vector3};
use wgpu::util::DeviceExt;

use crate::geometry::Camera;

/// The colour format the renderer draws in.
pub const FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8UnormSrgb;
const DEPTH: wgpu::TextureFormat = wgpu::TextureFormat::Depth32Float;
const SAMPLES: u32 = 4;
const NEAR_M: f32 = 0.05;
const FAR_M: f32 = 100.0;

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

/// What to draw and from where.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    /// The camera (from calibration, or the demo room's).
    pub camera: Camera,
    /// The image size the camera was calibrated for, in pixels.
    pub image_size: (u32, u32),
    /// The boxes to draw.
    pub blocks: Vec<Block>,
    /// Areas drawn on the floor, translucent.
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
}

#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct Uniforms {
    view_projection: [[f32; 4]; 4],
    light: [f32; 4],
    exposure: [f32; 4],
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
        let attributes = wgpu::vertex_attr_array![0 => Float32x3, 1 => Float32x3, 2 => Float32x3];
        // The scene's boxes (opaque, writing depth) and the floor areas (translucent, drawn
        // after them, depth-tested but not writing depth) share everything else.
        let scene_pipeline = |label, fragment_entry, overlay: bool| {
            device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some(label),
                layout: Some(&pipeline_layout),
                vertex: wgpu::VertexState {
                    module: &shader,
                    entry_point: Some("vs_main"),
                    compilation_options: Default::default(),
                    buffers: &[Some(wgpu::VertexBufferLayout {
                        array_stride: std::mem::size_of::<Vertex>() as u64,
                        step_mode: wgpu::VertexStepMode::Vertex,
                        attributes: &attributes,
                    })],
                },
                // Boxes are closed and depth-tested, areas are flat: no culling, so no winding
                // convention to get wrong.
                primitive: wgpu::PrimitiveState::default(),
                depth_stencil: Some(wgpu::DepthStencilState {
                    format: DEPTH,
                    depth_write_enabled: Some(!overlay),
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
                        blend: overlay.then_some(wgpu::BlendState::ALPHA_BLENDING),
                        write_mask: wgpu::ColorWrites::ALL,
                    })],
                }),
                multiview_mask: None,
                cache: None,
            })
        };
        let pipeline = scene_pipeline("scene", "fs_main", false);
        let overlay = scene_pipeline("floor areas", "fs_overlay", true);
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
        let mut vertices = scene.blocks.iter().flat_map(block_vertices).collect::<Vec<_>>();
        let boxes = vertices.len() as u32;
        vertices.extend(scene.areas.iter().flat_map(area_vertices));
        let all = vertices.len() as u32;
        let vertex_buffer = self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("vertices"),
            contents: bytemuck::cast_slice(&vertices),
            usage: wgpu::BufferUsages::VERTEX,
        });
        let light = Vector3::new(-0.4f32, 1.0, -0.3).normalize();
        let uniforms = Uniforms {
            view_projection: view_projection(scene, width, height).into(),
            light: [light.x, light.y, light.z, 0.35],
            exposure: [scene.photo.as_deref().map_or(1.0, exposure_for), 0.0, 0.0, 0.0],
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
            pass.draw(0..boxes, 0..1);
            if all > boxes {
                pass.set_pipeline(&self.overlay);
                pass.draw(boxes..all, 0..1);
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

/// Segments of a floor area's arc.
const AREA_SEGMENTS: usize = 48;

/// A floor area as a fan of triangles just above the floor (so the floor never hides it).
fn area_vertices(area: &FloorArea) -> Vec<Vertex> {
    let lift = 0.003;
    let point = |angle: f32| {
        let heading = area.heading + angle;
        [area.apex.x + area.range_m * heading.sin(), lift, area.apex.z + area.range_m * heading.cos()]
    };
    let vertex = |position| Vertex { position, normal: [0.0, 1.0, 0.0], colour: area.colour };
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
            out.push(Vertex { position: place(x, y, z), normal: turn(normal), colour: block.colour });
        }
    }
    out
}
