//! The room's geometry: from four points the user marks on a floor rectangle of known size to
//! the camera that took the photo (focal length and pose), and from a pixel back to the floor or
//! a wall (picking).
//!
//! Frames: the world has its origin at the first marked corner, X along the rectangle's first
//! side, Z along its second, Y up, in metres. The camera looks down its +z axis with x right and
//! y down (image convention); `x_cam = R · x_world + t`. Pixels are measured from the image's
//! top-left corner; the principal point is taken at the image centre with square pixels, which
//! holds for phone and camera photos that were not cropped off-centre.

use nalgebra::{Matrix3, Point2, Point3, Rotation3, SMatrix, SVector, Vector3};

/// Why marks cannot calibrate a camera.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CalibrationError {
    /// The rectangle's real size is not positive.
    #[error("the floor rectangle needs a positive width and depth")]
    BadSize,
    /// A mark lies outside the photo.
    #[error("mark {0} is outside the photo")]
    OutsidePhoto(usize),
    /// Three marks on one line, or two on one spot: no rectangle seen in perspective looks so.
    #[error("three of the marks are on one line; mark the four corners of a rectangle on the floor")]
    Collinear,
    /// The marks' outline crosses itself: they are not in order around the rectangle.
    #[error("the marks cross over; mark the corners in order around the rectangle")]
    NotConvex,
    /// The marks are a quadrilateral, but no camera sees a rectangle that way (for example the
    /// far side drawn wider than the near side by more than perspective allows).
    #[error("no camera sees a floor rectangle like this; check the marks and the rectangle's size")]
    Impossible,
}

/// A plane-to-image homography: `p_image ~ H · (X, Z, 1)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Homography(pub Matrix3<f64>);

impl Homography {
    /// The homography taking each `from[i]` to `to[i]` (direct linear transform on four pairs),
    /// or `None` when the pairs do not determine one (collinear points).
    pub fn from_pairs(from: &[Point2<f64>; 4], to: &[Point2<f64>; 4]) -> Option<Self> {
        // Condition both sides: centre them and scale to unit average distance.
        let (tf, nf) = normalize(from);
        let (tt, nt) = normalize(to);
        let mut a = SMatrix::<f64, 8, 8>::zeros();
        let mut b = SVector::<f64, 8>::zeros();
        for i in 0..4 {
            let (x, y) = (nf[i].x, nf[i].y);
            let (u, v) = (nt[i].x, nt[i].y);
            a.set_row(
                2 * i,
                &SMatrix::<f64, 1, 8>::from_row_slice(&[x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y]),
            );
            a.set_row(
                2 * i + 1,
                &SMatrix::<f64, 1, 8>::from_row_slice(&[0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y]),
            );
            b[2 * i] = u;
            b[2 * i + 1] = v;
        }
        let h = a.lu().solve(&b)?;
        let normalized = Matrix3::new(h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0);
        let inverse_to = tt.try_inverse()?;
        let m = inverse_to * normalized * tf;
        (m[(2, 2)].abs() > f64::EPSILON && m.iter().all(|v| v.is_finite())).then(|| Self(m / m[(2, 2)]))
    }

    /// Where `p` lands, or `None` at infinity.
    pub fn apply(&self, p: Point2<f64>) -> Option<Point2<f64>> {
        let v = self.0 * Vector3::new(p.x, p.y, 1.0);
        (v.z.abs() > f64::EPSILON).then(|| Point2::new(v.x / v.z, v.y / v.z))
    }
}

/// The similarity that centres `points` on the origin with average distance √2, and the points
/// it gives.
fn normalize(points: &[Point2<f64>; 4]) -> (Matrix3<f64>, [Point2<f64>; 4]) {
    let centre = points.iter().fold(Vector3::zeros(), |acc, p| acc + Vector3::new(p.x, p.y, 0.0)) / 4.0;
    let spread =
        points.iter().map(|p| ((p.x - centre.x).powi(2) + (p.y - centre.y).powi(2)).sqrt()).sum::<f64>()
            / 4.0;
    let s = if spread > f64::EPSILON { std::f64::consts::SQRT_2 / spread } else { 1.0 };
    let t = Matrix3::new(s, 0.0, -s * centre.x, 0.0, s, -s * centre.y, 0.0, 0.0, 1.0);
    (t, points.map(|p| Point2::new(s * (p.x - centre.x), s * (p.y - centre.y))))
}

/// What the user marked: the four corners of a rectangle on the floor, in order around it,
/// and its real size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FloorMarks {
    /// The corners in the photo, in pixels, in order around the rectangle: the first two along
    /// its width, the last back beside the first.
    pub corners: [Point2<f64>; 4],
    /// Length of the side from the first corner to the second, in metres.
    pub width_m: f64,
    /// Length of the side from the second corner to the third, in metres.
    pub depth_m: f64,
}

/// The camera that took the photo, recovered from the marks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    /// Focal length in pixels.
    pub focal_px: f64,
    /// The principal point (the image centre), in pixels.
    pub principal: Point2<f64>,
    /// World to camera rotation.
    pub rotation: Rotation3<f64>,
    /// World to camera translation.
    pub translation: Vector3<f64>,
}

/// A ray from the camera through a pixel, in world coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ray {
    /// The camera's centre.
    pub origin: Point3<f64>,
    /// Unit direction.
    pub direction: Vector3<f64>,
}

/// A plane in the world: the floor, or a wall.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plane {
    /// A point on it.
    pub point: Point3<f64>,
    /// Its unit normal.
    pub normal: Vector3<f64>,
}

impl Plane {
    /// The floor: y = 0, facing up.
    pub const FLOOR: Plane = Plane { point: Point3::new(0.0, 0.0, 0.0), normal: Vector3::new(0.0, 1.0, 0.0) };

    /// The vertical wall standing on the floor line from `a` to `b` (floor points).
    pub fn wall(a: Point3<f64>, b: Point3<f64>) -> Option<Plane> {
        let along = Vector3::new(b.x - a.x, 0.0, b.z - a.z);
        let normal = along.cross(&Vector3::y()).try_normalize(1e-9)?;
        Some(Plane { point: Point3::new(a.x, 0.0, a.z), normal })
    }

    /// Where `ray` meets the plane in front of the camera.
    pub fn hit(&self, ray: &Ray) -> Option<Point3<f64>> {
        let facing = self.normal.dot(&ray.direction);
        if facing.abs() < 1e-9 {
            return None;
        }
        let distance = self.normal.dot(&(self.point - ray.origin)) / facing;
        (distance > 0.0).then(|| ray.origin + ray.direction * distance)
    }
}

impl Camera {
    /// The camera from the marks on a photo of `width`×`height` pixels. Marks may go round the
    /// rectangle either way: when they go the other way, the world's X runs from the first
    /// corner to the last, so that Y stays up.
    pub fn calibrate(marks: &FloorMarks, width: u32, height: u32) -> Result<Self, CalibrationError> {
        let camera = Self::calibrate_as_marked(marks, width, height)?;
        if camera.centre().y > 0.0 {
            return Ok(camera);
        }
        let [a, b, c, d] = marks.corners;
        let turned = FloorMarks { corners: [a, d, c, b], width_m: marks.depth_m, depth_m: marks.width_m };
        let camera = Self::calibrate_as_marked(&turned, width, height)?;
        if camera.centre().y > 0.0 { Ok(camera) } else { Err(CalibrationError::Impossible) }
    }

    fn calibrate_as_marked(marks: &FloorMarks, width: u32, height: u32) -> Result<Self, CalibrationError> {
        if !(marks.width_m > 0.0
            && marks.depth_m > 0.0
            && marks.width_m.is_finite()
            && marks.depth_m.is_finite())
        {
            return Err(CalibrationError::BadSize);
        }
        let (w, h) = (f64::from(width), f64::from(height));
        for (i, c) in marks.corners.iter().enumerate() {
            if !(c.x.is_finite() && c.y.is_finite() && (0.0..=w).contains(&c.x) && (0.0..=h).contains(&c.y)) {
                return Err(CalibrationError::OutsidePhoto(i));
            }
        }
        check_quadrilateral(&marks.corners, w.max(h))?;
        let floor = [
            Point2::new(0.0, 0.0),
            Point2::new(marks.width_m, 0.0),
            Point2::new(marks.width_m, marks.depth_m),
            Point2::new(0.0, marks.depth_m),
        ];
        let homography = Homography::from_pairs(&floor, &marks.corners).ok_or(CalibrationError::Collinear)?;
        let principal = Point2::new(w / 2.0, h / 2.0);
        let m = homography.0;
        // Columns of H with the principal point taken out: K⁻¹·h up to the focal length.
        let centred = |c: usize| {
            Vector3::new(m[(0, c)] - principal.x * m[(2, c)], m[(1, c)] - principal.y * m[(2, c)], m[(2, c)])
        };
        let (a, b) = (centred(0), centred(1));
        // The rectangle's sides are perpendicular and lie in one plane: the rotation's columns
        // are orthogonal, which fixes the focal length; where that is ill-conditioned (a photo
        // taken straight down a side), their equal length does.
        let orthogonal = -(a.x * b.x + a.y * b.y) / (a.z * b.z);
        let equal_length = -((a.x * a.x + a.y * a.y) - (b.x * b.x + b.y * b.y)) / (a.z * a.z - b.z * b.z);
        let scale = (a.xy().norm() + b.xy().norm()) / 2.0;
        let usable = |f2: f64, denominator: f64| {
            f2.is_finite() && f2 > 0.0 && denominator.abs() > 1e-12 * scale * scale
        };
        let f2 = if usable(orthogonal, a.z * b.z * scale * scale) {
            orthogonal
        } else if usable(equal_length, (a.z * a.z - b.z * b.z) * scale * scale) {
            equal_length
        } else {
            return Err(CalibrationError::Impossible);
        };
        let focal_px = f2.sqrt();
        if !(0.2 * w.max(h)..=20.0 * w.max(h)).contains(&focal_px) {
            // Wider than a 137° or narrower than a 3° lens: not a room photo, the marks are off.
            return Err(CalibrationError::Impossible);
        }
        let k_inv = |v: Vector3<f64>| Vector3::new(v.x / focal_px, v.y / focal_px, v.z);
        let (ra, rb) = (k_inv(a), k_inv(b));
        let mut lambda = 2.0 / (ra.norm() + rb.norm());
        let t = k_inv(centred(2));
        // The floor is in front of the camera.
        if t.z * lambda < 0.0 {
            lambda = -lambda;
        }
        let x_axis = ra * lambda;
        let z_axis = rb * lambda;
        let y_axis = z_axis.cross(&x_axis);
        let rotation = Rotation3::from_matrix(&Matrix3::from_columns(&[x_axis, y_axis, z_axis]));
        Ok(Camera { focal_px, principal, rotation, translation: t * lambda })
    }

    /// The camera's centre in the world.
    pub fn centre(&self) -> Point3<f64> {
        Point3::from(-(self.rotation.inverse() * self.translation))
    }

    /// The pixel a world point lands on, if it is in front of the camera.
    pub fn project(&self, p: Point3<f64>) -> Option<Point2<f64>> {
        let c = self.rotation * p.coords + self.translation;
        (c.z > 1e-9).then(|| {
            Point2::new(
                self.principal.x + self.focal_px * c.x / c.z,
                self.principal.y + self.focal_px * c.y / c.z,
            )
        })
    }

    /// The ray through a pixel.
    pub fn ray(&self, pixel: Point2<f64>) -> Ray {
        let in_camera = Vector3::new(
            (pixel.x - self.principal.x) / self.focal_px,
            (pixel.y - self.principal.y) / self.focal_px,
            1.0,
        );
        Ray { origin: self.centre(), direction: (self.rotation.inverse() * in_camera).normalize() }
    }
}

/// Refuses marks that no rectangle in perspective could produce: repeated or collinear points,
/// or an outline that crosses itself or bends inwards.
fn check_quadrilateral(c: &[Point2<f64>; 4], size: f64) -> Result<(), CalibrationError> {
    let cross = |o: Point2<f64>, a: Point2<f64>, b: Point2<f64>| {
        (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
    };
    // Twice the area of each corner's triangle, against a fraction of the photo's area.
    let tolerance = 1e-4 * size * size;
    let mut sign = 0.0f64;
    for i in 0..4 {
        let turn = cross(c[i], c[(i + 1) % 4], c[(i + 2) % 4]);
        if turn.abs() < tolerance {
            return Err(CalibrationError::Collinear);
        }
        if sign != 0.0 && turn.signum() != sign {
            return Err(CalibrationError::NotConvex);
        }
        sign = turn.signum();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_homography_of_a_scaled_and_shifted_square_is_that_map() {
        // By hand: (x, y) ↦ (2x + 10, 2y + 20).
        let from =
            [Point2::new(0.0, 0.0), Point2::new(1.0, 0.0), Point2::new(1.0, 1.0), Point2::new(0.0, 1.0)];
        let to = [
            Point2::new(10.0, 20.0),
            Point2::new(12.0, 20.0),
            Point2::new(12.0, 22.0),
            Point2::new(10.0, 22.0),
        ];
        let h = Homography::from_pairs(&from, &to).expect("a homography");
        let expected = Matrix3::new(2.0, 0.0, 10.0, 0.0, 2.0, 20.0, 0.0, 0.0, 1.0);
        assert!((h.0 - expected).abs().max() < 1e-9, "{}", h.0);
        let mid = h.apply(Point2::new(0.5, 0.25)).expect("finite");
        assert!((mid - Point2::new(11.0, 20.5)).norm() < 1e-9);
    }

    #[test]
    fn a_perspective_homography_maps_its_points_back() {
        // A trapezoid: the far side of a square seen shorter, by hand: (0,0)→(0,0), (1,0)→(4,0),
        // (1,1)→(3,2), (0,1)→(1,2).
        let from =
            [Point2::new(0.0, 0.0), Point2::new(1.0, 0.0), Point2::new(1.0, 1.0), Point2::new(0.0, 1.0)];
        let to = [Point2::new(0.0, 0.0), Point2::new(4.0, 0.0), Point2::new(3.0, 2.0), Point2::new(1.0, 2.0)];
        let h = Homography::from_pairs(&from, &to).expect("a homography");
        for (f, t) in from.iter().zip(&to) {
            assert!((h.apply(*f).expect("finite") - t).norm() < 1e-9);
        }
        // Perspective: the centre of the square is not the centre of the trapezoid's box.
        let centre = h.apply(Point2::new(0.5, 0.5)).expect("finite");
        assert!((centre - Point2::new(2.0, 4.0 / 3.0)).norm() < 1e-9, "{centre}");
    }

    /// A phone 1.5 m above the floor and 2 m before the rectangle, pitched 35° down and turned
    /// 20°, 1,400 px focal length, on a 1600×1200 photo.
    fn phone() -> Camera {
        let (yaw, pitch) = (20f64.to_radians(), 35f64.to_radians());
        let forward = Vector3::new(yaw.sin() * pitch.cos(), -pitch.sin(), yaw.cos() * pitch.cos());
        // Camera axes in the world: z forward, x to the image's right, y down the image.
        let x = forward.cross(&Vector3::y()).normalize();
        let y = forward.cross(&x);
        let world_to_camera =
            Rotation3::from_matrix_unchecked(Matrix3::from_columns(&[x, y, forward]).transpose());
        let centre = Point3::new(0.4, 1.5, -2.0);
        Camera {
            focal_px: 1400.0,
            principal: Point2::new(800.0, 600.0),
            rotation: world_to_camera,
            translation: -(world_to_camera * centre.coords),
        }
    }

    fn marks_of(camera: &Camera, width_m: f64, depth_m: f64) -> FloorMarks {
        let corners = [
            Point3::new(0.0, 0.0, 0.0),
            Point3::new(width_m, 0.0, 0.0),
            Point3::new(width_m, 0.0, depth_m),
            Point3::new(0.0, 0.0, depth_m),
        ]
        .map(|p| camera.project(p).expect("in front"));
        FloorMarks { corners, width_m, depth_m }
    }

    #[test]
    fn calibration_recovers_the_focal_length_and_pose_of_the_camera() {
        let truth = phone();
        let marks = marks_of(&truth, 1.2, 1.8);
        let camera = Camera::calibrate(&marks, 1600, 1200).expect("calibrated");
        assert!((camera.focal_px - 1400.0).abs() < 0.5, "focal {}", camera.focal_px);
        assert!(
            (camera.centre() - truth.centre()).norm() < 1e-3,
            "{} vs {}",
            camera.centre(),
            truth.centre()
        );
        assert!(camera.rotation.angle_to(&truth.rotation) < 1e-4);
        // Anything on the floor projects where the true camera puts it.
        for p in [Point3::new(0.3, 0.0, 0.9), Point3::new(2.5, 0.0, 3.0)] {
            let (a, b) = (camera.project(p).expect("in front"), truth.project(p).expect("in front"));
            assert!((a - b).norm() < 0.05, "{a} vs {b}");
        }
    }

    #[test]
    fn marks_going_round_the_other_way_find_the_same_camera() {
        let truth = phone();
        let marks = marks_of(&truth, 1.2, 1.8);
        let [a, b, c, d] = marks.corners;
        let reversed = FloorMarks { corners: [a, d, c, b], width_m: 1.8, depth_m: 1.2 };
        let camera = Camera::calibrate(&reversed, 1600, 1200).expect("calibrated");
        assert!((camera.focal_px - 1400.0).abs() < 0.5, "focal {}", camera.focal_px);
        assert!((camera.centre().y - 1.5).abs() < 1e-3, "1.5 m above the floor: {}", camera.centre());
    }

    #[test]
    fn picking_finds_the_floor_point_under_a_pixel() {
        let camera = Camera::calibrate(&marks_of(&phone(), 1.2, 1.8), 1600, 1200).expect("calibrated");
        let target = Point3::new(0.75, 0.0, 1.25);
        let pixel = camera.project(target).expect("in front");
        let hit = Plane::FLOOR.hit(&camera.ray(pixel)).expect("the floor");
        assert!((hit - target).norm() < 1e-6, "{hit}");
        // A ray rising above the horizon never meets the floor.
        let rising = Ray { origin: camera.centre(), direction: Vector3::new(0.0, 0.2, 1.0).normalize() };
        assert_eq!(Plane::FLOOR.hit(&rising), None);
        // A wall standing on the rectangle's far side: a point 1 m up on it.
        let wall = Plane::wall(Point3::new(0.0, 0.0, 1.8), Point3::new(1.2, 0.0, 1.8)).expect("a wall");
        let on_wall = Point3::new(0.6, 1.0, 1.8);
        let hit = wall.hit(&camera.ray(camera.project(on_wall).expect("in front"))).expect("the wall");
        assert!((hit - on_wall).norm() < 1e-6, "{hit}");
    }

    #[test]
    fn marks_no_rectangle_can_make_are_refused_with_a_reason() {
        let good = marks_of(&phone(), 1.2, 1.8);
        let mut collinear = good;
        collinear.corners[2] = collinear.corners[1] + (collinear.corners[1] - collinear.corners[0]);
        assert_eq!(Camera::calibrate(&collinear, 1600, 1200), Err(CalibrationError::Collinear));
        let mut crossed = good;
        crossed.corners.swap(1, 2);
        assert_eq!(Camera::calibrate(&crossed, 1600, 1200), Err(CalibrationError::NotConvex));
        let mut outside = good;
        outside.corners[3] = Point2::new(-5.0, 10.0);
        assert_eq!(Camera::calibrate(&outside, 1600, 1200), Err(CalibrationError::OutsidePhoto(3)));
        assert_eq!(
            Camera::calibrate(&FloorMarks { width_m: 0.0, ..good }, 1600, 1200),
            Err(CalibrationError::BadSize)
        );
        // A "rectangle" whose far side is drawn far wider than its near side.
        let flared = FloorMarks {
            corners: [
                Point2::new(700.0, 1100.0),
                Point2::new(900.0, 1100.0),
                Point2::new(1590.0, 100.0),
                Point2::new(10.0, 100.0),
            ],
            width_m: 1.0,
            depth_m: 1.0,
        };
        assert_eq!(Camera::calibrate(&flared, 1600, 1200), Err(CalibrationError::Impossible));
    }
}
